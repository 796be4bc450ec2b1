package dev.savepoints.k8s.out;

import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRegistrationRejected;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobSettingsRejected;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmissionFailed;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.RestartedFromSavepoint;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;

/**
 * Writes the FlinkCluster status from the events, each value a recorded fact (the generation a savepoint made,
 * the job's state), so the status converges after restarts and replays. Records Kubernetes Events for each step,
 * and removes the control annotation when its control has ended.
 */
@ProcessingGroup(StatusWriter.PROCESSING_GROUP)
public class StatusWriter {

    public static final String PROCESSING_GROUP = "k8s-status";

    private final ClusterStatusPatcher cluster;

    public StatusWriter(ClusterStatusPatcher cluster) {
        this.cluster = cluster;
    }

    private void job(JobId id, Consumer<FlinkClusterStatus.Job> change) {
        cluster.status(id, status -> change.accept(jobOf(status)));
    }

    /** {@code status.components.job}, created where it is missing. */
    private static FlinkClusterStatus.Job jobOf(FlinkClusterStatus status) {
        if (status.getComponents() == null) {
            status.setComponents(new FlinkClusterStatus.Components());
        }
        if (status.getComponents().getJob() == null) {
            status.getComponents().setJob(new FlinkClusterStatus.Job());
        }
        return status.getComponents().getJob();
    }

    @EventHandler
    void on(JobRegistered event) {
        job(event.jobId(), job -> {
            job.setName(event.jobId().name() + "-job");
            job.setState(JobState.PENDING.statusValue());
            job.setSavepointGeneration(0L);
        });
    }

    @EventHandler
    void on(JobRegistrationRejected event, @Timestamp Instant at) {
        rejectedSpec(event.jobId(), event.reason(), at);
    }

    @EventHandler
    void on(JobSettingsRejected event, @Timestamp Instant at) {
        rejectedSpec(event.jobId(), event.reason(), at);
    }

    private void rejectedSpec(JobId id, String reason, Instant at) {
        cluster.status(id, status -> status.setControl(control("update", "Failed", null, null, reason, at)));
        cluster.event(id, true, "SpecRejected", reason);
    }

    @EventHandler
    void on(JobSubmitted event) {
        job(event.jobId(), job -> {
            job.setId(event.flinkJobId());
            job.setState(JobState.DEPLOYING.statusValue());
            job.setFromSavepoint(event.fromSavepoint());
        });
    }

    @EventHandler
    void on(JobStateChanged event) {
        job(event.jobId(), job -> job.setState(event.state().statusValue()));
    }

    @EventHandler
    void on(JobFailed event) {
        failed(event.jobId(), "JobFailed", event.cause());
    }

    @EventHandler
    void on(JobSubmissionFailed event) {
        failed(event.jobId(), "JobSubmissionFailed", event.cause());
    }

    private void failed(JobId id, String reason, String cause) {
        job(id, job -> {
            job.setState(JobState.FAILED.statusValue());
            job.setFailureReasons(cause == null ? null : List.of(cause));
        });
        cluster.event(id, true, reason, cause);
    }

    @EventHandler
    void on(JobRestartRefused event) {
        job(event.jobId(), job -> job.setState(JobState.FAILED.statusValue()));
        cluster.event(event.jobId(), true, "RestartRefused", "job not restarted: " + event.reason());
    }

    @EventHandler
    void on(JobRestartScheduled event) {
        job(event.jobId(), job -> job.setState(JobState.RESTARTING.statusValue()));
    }

    @EventHandler
    void on(RestartedFromSavepoint event) {
        job(event.jobId(), job -> {
            job.setId(event.flinkJobId());
            job.setFromSavepoint(event.savepointLocation());
            job.setRestartCount(event.restartCount());
            job.setState(JobState.DEPLOYING.statusValue());
        });
        cluster.event(event.jobId(), false, "RestartedFromSavepoint",
                "job restarted as " + event.flinkJobId() + " from " + event.savepointLocation());
    }

    @EventHandler
    void on(JobCancelled event) {
        job(event.jobId(), job -> job.setState(JobState.CANCELLED.statusValue()));
    }

    @EventHandler
    void on(SavepointTriggered event) {
        cluster.status(event.jobId(), status -> {
            status.setSavepoint(savepoint(event.flinkJobId(), event.triggerId(), event.triggeredAt(),
                    event.reason().statusValue(), "InProgress", null));
            if (event.controlId() != null && status.getControl() != null) {
                status.getControl().setDetails(details(event.flinkJobId(), event.triggerId()));
            }
        });
        cluster.event(event.jobId(), false, "SavepointTriggered",
                "savepoint " + event.triggerId() + " (" + event.reason().statusValue() + ") to " + event.targetDirectory());
    }

    @EventHandler
    void on(SavepointRejected event, @Timestamp Instant at) {
        cluster.status(event.jobId(), status -> status.setSavepoint(savepoint(null, null, at,
                event.reason().statusValue(), "TriggerFailed", event.cause())));
        cluster.event(event.jobId(), true, "SavepointRejected", event.cause());
    }

    @EventHandler
    void on(SavepointCompleted event) {
        if (event.generation() == null) {
            return; // of an earlier incarnation
        }
        cluster.status(event.jobId(), status -> {
            if (status.getSavepoint() != null && event.triggerId().equals(status.getSavepoint().getTriggerId())) {
                status.getSavepoint().setState("Succeeded");
                status.getSavepoint().setMessage(null);
            }
            FlinkClusterStatus.Job job = jobOf(status);
            job.setSavepointGeneration(event.generation());
            String last = job.getLastSavepointTime();
            if (last == null || !event.completedAt().isBefore(Instant.parse(last))) {
                job.setSavepointLocation(event.location());
                job.setLastSavepointTriggerId(event.triggerId());
                job.setLastSavepointTime(event.completedAt().toString());
            }
        });
        cluster.event(event.jobId(), false, "SavepointCreated", "savepoint " + event.triggerId() + " at " + event.location());
    }

    @EventHandler
    void on(SavepointFailed event) {
        cluster.status(event.jobId(), status -> {
            if (status.getSavepoint() != null && event.triggerId().equals(status.getSavepoint().getTriggerId())) {
                status.getSavepoint().setState("Failed");
                status.getSavepoint().setMessage(event.cause());
            }
        });
        cluster.event(event.jobId(), true, "SavepointFailed", "savepoint " + event.triggerId() + ": " + event.cause());
    }

    @EventHandler
    void on(ControlRequested event, @Timestamp Instant at) {
        cluster.status(event.jobId(), status -> status.setControl(control(event.name().value(), "Progressing", null, null,
                null, at)));
        cluster.event(event.jobId(), false, "ControlRequested", event.name().value() + " requested by "
                + event.requestedBy().actor());
    }

    @EventHandler
    void on(ControlSucceeded event, @Timestamp Instant at) {
        cluster.status(event.jobId(), status -> status.setControl(control(event.name().value(), "Succeeded",
                event.flinkJobId(), event.savepointTriggerId(), null, at)));
        cluster.removeControlAnnotation(event.jobId());
        cluster.event(event.jobId(), false, "ControlSucceeded", event.name().value() + " succeeded");
    }

    @EventHandler
    void on(ControlFailed event, @Timestamp Instant at) {
        cluster.status(event.jobId(), status -> status.setControl(control(event.name().value(), "Failed",
                event.flinkJobId(), event.savepointTriggerId(), event.message(), at)));
        cluster.removeControlAnnotation(event.jobId());
        cluster.event(event.jobId(), true, "ControlFailed", event.name().value() + ": " + event.message());
    }

    @EventHandler
    void on(ControlRejected event, @Timestamp Instant at) {
        boolean[] anotherRuns = {false};
        cluster.status(event.jobId(), status -> {
            anotherRuns[0] = status.getControl() != null && "Progressing".equals(status.getControl().getState());
            if (!anotherRuns[0]) {
                status.setControl(control(event.name(), "Failed", null, null, event.reason(), at));
            }
        });
        if (!anotherRuns[0]) {
            cluster.removeControlAnnotation(event.jobId()); // the control in progress removes it when it ends
        }
        cluster.event(event.jobId(), true, "ControlRejected", event.reason());
    }

    private static FlinkClusterStatus.Savepoint savepoint(String jobId, String triggerId, Instant at, String reason,
                                                          String state, String message) {
        FlinkClusterStatus.Savepoint savepoint = new FlinkClusterStatus.Savepoint();
        savepoint.setJobId(jobId);
        savepoint.setTriggerId(triggerId);
        savepoint.setTriggerTime(at == null ? null : at.toString());
        savepoint.setTriggerReason(reason);
        savepoint.setState(state);
        savepoint.setMessage(message);
        return savepoint;
    }

    private static FlinkClusterStatus.Control control(String name, String state, String jobId, String triggerId,
                                                      String message, Instant at) {
        FlinkClusterStatus.Control control = new FlinkClusterStatus.Control();
        control.setName(name);
        control.setState(state);
        control.setDetails(jobId == null && triggerId == null ? null : details(jobId, triggerId));
        control.setMessage(message);
        control.setUpdateTime(at.toString());
        return control;
    }

    private static FlinkClusterStatus.ControlDetails details(String jobId, String triggerId) {
        FlinkClusterStatus.ControlDetails details = new FlinkClusterStatus.ControlDetails();
        details.setJobId(jobId);
        details.setSavepointTriggerId(triggerId);
        return details;
    }
}

package dev.savepoints.query.status;

import dev.savepoints.query.Columns;
import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmissionFailed;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.RestartedFromSavepoint;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.query.QueryProjections;
import java.time.Instant;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/** Projects the events of each job into {@link JobStatusRow}: one row per FlinkCluster incarnation. */
@Component
@ProcessingGroup(QueryProjections.PROCESSING_GROUP)
public class JobStatusProjection {

    private final JobStatusRepository rows;

    public JobStatusProjection(JobStatusRepository rows) {
        this.rows = rows;
    }

    @EventHandler
    void on(JobRegistered event, @Timestamp Instant at) {
        JobId id = event.jobId();
        JobStatusRow row = new JobStatusRow(id.toString(), event.incarnation(), id.namespace(), id.name(), event.uid(), at);
        row.fromSavepoint = event.settings().fromSavepoint();
        rows.save(row);
    }

    @EventHandler
    void on(JobDeregistered event, @Timestamp Instant at) {
        update(event.jobId(), at, row -> {
            row.registered = false;
            row.state = JobState.DEREGISTERED.statusValue();
        });
    }

    @EventHandler
    void on(JobSubmitted event, @Timestamp Instant at) {
        update(event.jobId(), at, row -> {
            row.flinkJobId = event.flinkJobId();
            row.fromSavepoint = event.fromSavepoint();
            row.state = JobState.DEPLOYING.statusValue();
        });
    }

    @EventHandler
    void on(JobSubmissionFailed event, @Timestamp Instant at) {
        failed(event.jobId(), at, event.cause());
    }

    @EventHandler
    void on(JobStateChanged event, @Timestamp Instant at) {
        update(event.jobId(), at, row -> row.state = event.state().statusValue());
    }

    @EventHandler
    void on(JobFailed event, @Timestamp Instant at) {
        failed(event.jobId(), at, event.cause());
    }

    @EventHandler
    void on(JobRestartScheduled event, @Timestamp Instant at) {
        update(event.jobId(), at, row -> row.state = JobState.RESTARTING.statusValue());
    }

    @EventHandler
    void on(JobRestartRefused event, @Timestamp Instant at) {
        update(event.jobId(), at, row -> {
            row.state = JobState.FAILED.statusValue();
            row.failureCause = (row.failureCause == null ? "" : row.failureCause + "; ") + "not restarted: " + event.reason();
        });
    }

    @EventHandler
    void on(RestartedFromSavepoint event, @Timestamp Instant at) {
        update(event.jobId(), at, row -> {
            row.flinkJobId = event.flinkJobId();
            row.fromSavepoint = event.savepointLocation();
            row.restartCount = event.restartCount();
            row.state = JobState.DEPLOYING.statusValue();
        });
    }

    @EventHandler
    void on(JobCancelled event, @Timestamp Instant at) {
        update(event.jobId(), at, row -> row.state = JobState.CANCELLED.statusValue());
    }

    @EventHandler
    void on(SavepointCompleted event, @Timestamp Instant at) {
        if (event.generation() == null) {
            return; // a late savepoint of an earlier incarnation
        }
        update(event.jobId(), at, row -> {
            row.savepointGeneration = event.generation();
            if (row.lastSavepointTime == null || !event.completedAt().isBefore(row.lastSavepointTime)) {
                row.savepointLocation = event.location();
                row.lastSavepointTriggerId = event.triggerId();
                row.lastSavepointTime = event.completedAt();
            }
        });
    }

    @EventHandler
    void on(ControlRequested event, @Timestamp Instant at) {
        control(event.jobId(), at, event.name().value(), "InProgress", null);
    }

    @EventHandler
    void on(ControlSucceeded event, @Timestamp Instant at) {
        control(event.jobId(), at, event.name().value(), "Succeeded", null);
    }

    @EventHandler
    void on(ControlFailed event, @Timestamp Instant at) {
        control(event.jobId(), at, event.name().value(), "Failed", event.message());
    }

    @EventHandler
    void on(ControlRejected event, @Timestamp Instant at) {
        control(event.jobId(), at, event.name(), "Rejected", event.reason());
    }

    @ResetHandler
    void reset() {
        rows.deleteAllInBatch();
    }

    private void failed(JobId jobId, Instant at, String cause) {
        update(jobId, at, row -> {
            row.state = JobState.FAILED.statusValue();
            row.failureCause = cause;
        });
    }

    private void control(JobId jobId, Instant at, String name, String state, String message) {
        update(jobId, at, row -> {
            row.controlName = Columns.fit(name, 64);
            row.controlState = state;
            row.controlMessage = message;
        });
    }

    private void update(JobId jobId, Instant at, Consumer<JobStatusRow> change) {
        rows.findFirstByJobIdOrderByIncarnationDesc(jobId.toString()).ifPresent(row -> {
            change.accept(row);
            row.updatedAt = at;
            rows.save(row);
        });
    }
}

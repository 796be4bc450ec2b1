package dev.savepoints.command.aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.DeregisterJob;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobManagerHosts;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRegistrationRejected;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobSettingsRejected;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.RequestedBy;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * Registration and settings (an aggregate member): which FlinkCluster (its uid) the current incarnation follows,
 * whether it is registered, and the settings last refused, so that the same refusal is recorded once. A new uid
 * ends the incarnation before the next begins. The settings themselves are the root's: every part reads them.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
class Registration {

    private String uid;
    private int incarnation;
    private boolean registered;
    private JobSettings rejectedSettings;

    /** Registered, for the resource {@code otherUid}. */
    boolean follows(String otherUid) {
        return registered && Objects.equals(uid, otherUid);
    }

    boolean registered() {
        return registered;
    }

    /** The resource was created or changed: the same uid changes the settings, another begins a new incarnation. */
    void register(RegisterJob command, FlinkJob job, DeadlineManager deadlines, JobManagerHosts hosts) {
        if (registered && Objects.equals(uid, command.uid())) {
            change(command.jobId(), command.settings(), command.requestedBy(), job, deadlines, hosts);
            return;
        }
        Optional<String> violation = JobSettingsRules.firstViolation(command.settings(), hosts);
        if (violation.isPresent()) {
            if (!command.settings().equals(rejectedSettings)) {
                apply(new JobRegistrationRejected(command.jobId(), command.uid(), command.settings(), violation.get(),
                        command.requestedBy()));
            }
            return;
        }
        if (registered) {
            end("replaced by a new FlinkCluster with uid " + command.uid(), command.requestedBy(), job);
        }
        apply(new JobRegistered(command.jobId(), command.uid(), incarnation + 1, command.settings(), command.requestedBy()));
        JobSettings settings = job.settings();
        if (settings.artifact() != null) {
            apply(new JobSubmissionRequested(job.jobId(), settings.artifact(), settings.fromSavepoint(),
                    settings.allowNonRestoredState()));
        }
    }

    void change(ChangeJobSettings command, FlinkJob job, DeadlineManager deadlines, JobManagerHosts hosts) {
        if (!registered) {
            apply(new JobSettingsRejected(job.jobId(), command.settings(), "the job is not registered",
                    command.requestedBy()));
            return;
        }
        change(job.jobId(), command.settings(), command.requestedBy(), job, deadlines, hosts);
    }

    private void change(JobId id, JobSettings requested, RequestedBy requestedBy, FlinkJob job,
                        DeadlineManager deadlines, JobManagerHosts hosts) {
        JobSettings settings = job.settings();
        if (requested.equals(settings)) {
            return;
        }
        Optional<String> violation = JobSettingsRules.firstViolation(requested, hosts);
        if (violation.isPresent()) {
            if (!requested.equals(rejectedSettings)) {
                apply(new JobSettingsRejected(id, requested, violation.get(), requestedBy));
            }
            return;
        }
        boolean scheduleChanged = !Objects.equals(requested.autoSavepointSeconds(), settings.autoSavepointSeconds())
                || requested.automaticSavepoints() != settings.automaticSavepoints();
        boolean neverStarted = job.run().neverStarted();
        boolean runChanged = !Objects.equals(requested.artifact(), settings.artifact())
                || !Objects.equals(requested.fromSavepoint(), settings.fromSavepoint());
        apply(new JobSettingsChanged(id, requested, requestedBy));
        if (neverStarted && runChanged && requested.artifact() != null) {
            // a job Flink never ran (no jar yet, or its submission failed) is submitted with the corrected spec
            apply(new JobSubmissionRequested(job.jobId(), requested.artifact(), requested.fromSavepoint(),
                    requested.allowNonRestoredState()));
        }
        if (scheduleChanged) {
            job.schedule().intervalChanged(job, deadlines);
        }
    }

    /** Returns whether the job was deregistered now. */
    boolean deregister(DeregisterJob command, FlinkJob job) {
        if (!registered || (command.uid() != null && !command.uid().equals(uid))) {
            return false; // already gone, or the deletion of an older incarnation arriving late
        }
        end("the FlinkCluster was deleted", command.requestedBy(), job);
        return true;
    }

    private void end(String reason, RequestedBy requestedBy, FlinkJob job) {
        job.controls().deregistered(reason, job);
        apply(new JobDeregistered(job.jobId(), uid, reason, requestedBy));
    }

    // ---- event sourcing: assignments only ----

    @EventSourcingHandler
    void on(JobRegistered event) {
        uid = event.uid();
        incarnation = event.incarnation();
        registered = true;
        rejectedSettings = null;
    }

    @EventSourcingHandler
    void on(JobRegistrationRejected event) {
        rejectedSettings = event.settings();
    }

    @EventSourcingHandler
    void on(JobSettingsChanged event) {
        rejectedSettings = null;
    }

    @EventSourcingHandler
    void on(JobSettingsRejected event) {
        rejectedSettings = event.settings();
    }

    @EventSourcingHandler
    void on(JobDeregistered event) {
        registered = false;
    }
}

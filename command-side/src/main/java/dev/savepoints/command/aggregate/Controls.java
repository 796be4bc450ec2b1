package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.Timing.now;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.FailJobCancel;
import dev.savepoints.command.api.JobCancelRequested;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.Texts;
import dev.savepoints.command.api.TriggerReason;
import java.util.Optional;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * The user controls of a FlinkJob (an aggregate member): the control in progress, at most one, and the request
 * last decided, by which a repeated request is recognised. Decides a control's start and each way it ends: its
 * savepoint's result, Flink refusing a cancel, the job ending meanwhile, the job's deregistration.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
class Controls {

    private ActiveControl activeControl;
    private String lastControlRequestKey;

    boolean inProgress() {
        return activeControl != null;
    }

    Decision request(RequestControl command, FlinkJob job, TriggerIds ids) {
        if (command.requestKey() != null && command.requestKey().equals(lastControlRequestKey)) {
            return Decision.duplicate(activeControl == null ? null : activeControl.controlId(),
                    "this control request was already decided");
        }
        Optional<ControlName> name = ControlName.fromValue(command.name());
        if (name.isPresent() && activeControl != null && activeControl.name() == name.get()) {
            // the control that runs, seen again (a resync, a stale cache, a restarted bridge): nothing to decide
            return Decision.duplicate(activeControl.controlId(), "control " + name.get().value() + " is in progress");
        }
        Optional<String> refusal = name.isEmpty()
                ? Optional.of("unknown control '" + Texts.abbreviate(command.name(), 64) + "'; expected savepoint or job-cancel")
                : whyNot(name.get(), job);
        if (refusal.isPresent()) {
            apply(new ControlRejected(job.jobId(), Texts.abbreviate(command.name(), 64), command.requestKey(),
                    refusal.get(), command.requestedBy()));
            return Decision.rejected(refusal.get());
        }
        String controlId = ids.next();
        apply(new ControlRequested(job.jobId(), controlId, name.get(), command.requestKey(), command.requestedBy()));
        if (name.get() == ControlName.SAVEPOINT) {
            job.savepoints().trigger(job, ids.next(), TriggerReason.USER_CONTROL, false, controlId,
                    command.requestedBy(), now());
        } else if (job.settings().hasSavepointsDir()) {
            job.savepoints().trigger(job, ids.next(), TriggerReason.JOB_CANCEL, true, controlId,
                    command.requestedBy(), now());
        } else {
            // the schedule waits while the control runs, and ends with the job; a cancel Flink refuses keeps it
            apply(new JobCancelRequested(job.jobId(), job.flinkJobId(), controlId));
        }
        return Decision.accepted(controlId);
    }

    private Optional<String> whyNot(ControlName name, FlinkJob job) {
        if (activeControl != null) {
            return Optional.of("control " + activeControl.name().value() + " is still in progress");
        }
        if (!job.registered()) {
            return Optional.of("the job is not registered");
        }
        if (name == ControlName.SAVEPOINT) {
            return job.savepoints().whyNot(job);
        }
        Optional<String> notRunning = job.run().whyNotRunning();
        if (notRunning.isPresent()) {
            return notRunning;
        }
        return job.savepoints().inFlight()
                .map(a -> "savepoint " + a.triggerId() + " is still in progress; cancel the job after it");
    }

    /** The job-cancel control ends as failed; the job runs on as Flink reports it. Late or stale: nothing. */
    void cancelFailed(FailJobCancel command, FlinkJob job) {
        if (activeControl == null || activeControl.name() != ControlName.JOB_CANCEL
                || !activeControl.controlId().equals(command.controlId())) {
            return;
        }
        fail(job.jobId(), job.flinkJobId(), "Flink did not cancel the job: " + command.cause());
    }

    /** A savepoint completed: the control that took it succeeded. */
    void savepointCompleted(SavepointAttempt attempt, String location, FlinkJob job) {
        if (activeControl != null && attempt.triggerId().equals(activeControl.triggerId())) {
            apply(new ControlSucceeded(job.jobId(), activeControl.controlId(), activeControl.name(), attempt.flinkJobId(),
                    attempt.triggerId(), location));
        }
    }

    /** A savepoint failed: the control that took it failed with it. */
    void savepointFailed(SavepointAttempt attempt, String why, FlinkJob job) {
        if (activeControl != null && attempt.triggerId().equals(activeControl.triggerId())) {
            fail(job.jobId(), attempt.flinkJobId(), why);
        }
    }

    /**
     * Flink reports the job ended while job-cancel without a savepoint runs: the cancel succeeded. Returns whether
     * it was that.
     */
    boolean cancelObserved(JobState observed, FlinkJob job) {
        boolean cancelling = activeControl != null && activeControl.name() == ControlName.JOB_CANCEL;
        if (!cancelling || (observed != JobState.CANCELLED && observed != JobState.FINISHED)) {
            return false;
        }
        ActiveControl control = activeControl;
        apply(new JobCancelled(job.jobId(), job.flinkJobId(), null));
        apply(new ControlSucceeded(job.jobId(), control.controlId(), control.name(), job.flinkJobId(),
                control.triggerId(), null));
        return true;
    }

    /** The job ended otherwise: the control in progress cannot be done. */
    void jobEnded(JobState observed, String cause, FlinkJob job) {
        if (activeControl != null) {
            fail(job.jobId(), job.flinkJobId(), "the job ended (" + observed.statusValue() + ")"
                    + (cause == null ? "" : ": " + cause));
        }
    }

    void deregistered(String reason, FlinkJob job) {
        if (activeControl != null) {
            fail(job.jobId(), job.flinkJobId(), "the job was deregistered: " + reason);
        }
    }

    private void fail(JobId jobId, String flinkJobId, String reason) {
        apply(new ControlFailed(jobId, activeControl.controlId(), activeControl.name(), flinkJobId,
                activeControl.triggerId(), reason));
    }

    // ---- event sourcing: assignments only ----

    @EventSourcingHandler
    void on(JobRegistered event) {
        activeControl = null;
    }

    @EventSourcingHandler
    void on(JobDeregistered event) {
        activeControl = null;
    }

    @EventSourcingHandler
    void on(ControlRequested event) {
        activeControl = new ActiveControl(event.controlId(), event.name(), null);
        lastControlRequestKey = event.requestKey();
    }

    @EventSourcingHandler
    void on(SavepointTriggered event) {
        if (event.controlId() != null && activeControl != null && activeControl.controlId().equals(event.controlId())) {
            activeControl = new ActiveControl(event.controlId(), activeControl.name(), event.triggerId());
        }
    }

    @EventSourcingHandler
    void on(ControlRejected event) {
        lastControlRequestKey = event.requestKey();
    }

    @EventSourcingHandler
    void on(ControlSucceeded event) {
        activeControl = null;
    }

    @EventSourcingHandler
    void on(ControlFailed event) {
        activeControl = null;
    }
}

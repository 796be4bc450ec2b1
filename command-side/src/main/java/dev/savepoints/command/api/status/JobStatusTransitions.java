package dev.savepoints.command.api.status;

import dev.savepoints.command.api.ClusterComponents;
import dev.savepoints.command.api.ClusterComponentsObserved;
import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobEvent;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobManagerReachable;
import dev.savepoints.command.api.JobManagerUnreachable;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRegistrationRejected;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobSettingsRejected;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmissionFailed;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.JobUpgradeRefused;
import dev.savepoints.command.api.JobUpgradeRolledBack;
import dev.savepoints.command.api.JobUpgradeStarted;
import dev.savepoints.command.api.JobUpgradeSucceeded;
import dev.savepoints.command.api.JobUpgradeWaiting;
import dev.savepoints.command.api.RestartedFromSavepoint;
import dev.savepoints.command.api.SavepointAbandoned;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointDeferred;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.SavepointTriggered;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The cases of {@link JobStatus#next}: each event's effect on the status, and nothing else. */
final class JobStatusTransitions {

    private JobStatusTransitions() {
    }

    static JobStatus next(JobStatus status, JobEvent event, Instant at) {
        Draft draft = new Draft(status);
        draft.state = status.state().after(event);
        if (event instanceof JobRegistered registered) {
            draft = registered(status, registered, at);
        } else if (event instanceof JobRegistrationRejected rejected) {
            if (!status.of(rejected.uid())) {
                draft = new Draft(JobStatus.NONE); // a resource that never registered: its own status
                draft.uid = rejected.uid();
            }
            draft.control = refusal(rejected.reason(), at);
        } else if (event instanceof JobSettingsRejected rejected) {
            draft.control = refusal(rejected.reason(), at);
        } else if (event instanceof JobSettingsChanged changed) {
            draft.savepointIntervalSeconds = changed.settings().autoSavepointSeconds();
            if (status.control() != null && status.control().refusedUpdate()) {
                draft.control = corrected(at);
            }
        } else if (event instanceof JobDeregistered) {
            draft.registered = false;
        } else {
            lifecycle(draft, event);
            times(draft, status, event, at);
            savepoints(draft, status, event, at);
            controls(draft, status, event, at);
            upgrades(draft, event, at);
            jobManager(draft, event, at);
            if (event instanceof ClusterComponentsObserved observed) {
                draft.components = observed.components();
            }
        }
        JobStatus next = draft.build(at);
        return sameFacts(next, status) ? status : next;
    }

    private static Draft registered(JobStatus before, JobRegistered event, Instant at) {
        Draft draft = new Draft(JobStatus.NONE);
        draft.uid = event.uid();
        draft.incarnation = event.incarnation();
        draft.registered = true;
        draft.savepointIntervalSeconds = event.settings() == null ? null : event.settings().autoSavepointSeconds();
        if (before.of(event.uid()) && before.control() != null && before.control().refusedUpdate()) {
            draft.control = corrected(at); // the same resource, refused before and now taken: the refusal is over
        }
        return draft;
    }

    private static void lifecycle(Draft draft, JobEvent event) {
        if (event instanceof JobSubmitted submitted) {
            draft.flinkJobId = submitted.flinkJobId();
            draft.fromSavepoint = submitted.fromSavepoint();
            draft.failureReasons = List.of();
        } else if (event instanceof RestartedFromSavepoint restarted) {
            draft.flinkJobId = restarted.flinkJobId();
            draft.fromSavepoint = restarted.savepointLocation();
            draft.restartCount = restarted.restartCount();
        } else if (event instanceof JobFailed failed) {
            draft.failureReasons = failed.cause() == null ? List.of() : List.of(failed.cause());
        } else if (event instanceof JobSubmissionFailed failed) {
            draft.failureReasons = failed.cause() == null ? List.of() : List.of(failed.cause());
        } else if (event instanceof JobRestartRefused refused) {
            List<String> reasons = new ArrayList<>(draft.failureReasons);
            reasons.add("not restarted: " + refused.reason());
            draft.failureReasons = reasons;
        }
    }

    /** A new run starts its times afresh; it started when first seen running, and ended when its state did. */
    private static void times(Draft draft, JobStatus status, JobEvent event, Instant at) {
        if (event instanceof JobSubmitted || event instanceof RestartedFromSavepoint) {
            draft.times = new RunTimes(at, null, null);
            draft.finalSavepoint = false;
        } else if (draft.state == JobState.RUNNING) {
            draft.times = draft.times.started(at);
        } else if (draft.state.terminal() && !status.state().terminal()) {
            draft.times = draft.times.completed(at);
        }
        if (event instanceof JobCancelled cancelled && cancelled.finalSavepointLocation() != null) {
            draft.finalSavepoint = true;
        }
    }

    private static void savepoints(Draft draft, JobStatus status, JobEvent event, Instant at) {
        SavepointRequest latest = status.savepoint();
        if (event instanceof SavepointTriggered triggered) {
            draft.savepoint = new SavepointRequest(triggered.flinkJobId(), triggered.triggerId(), triggered.triggeredAt(),
                    triggered.reason(), SavepointState.IN_PROGRESS, null);
            ControlStatus control = status.control();
            if (control != null && triggered.controlId() != null && triggered.controlId().equals(control.controlId())) {
                draft.control = new ControlStatus(control.controlId(), control.name(), control.state(),
                        triggered.flinkJobId(), triggered.triggerId(), control.message(), control.updateTime());
            }
        } else if (event instanceof SavepointDeferred deferred) {
            draft.savepoint = new SavepointRequest(null, null, deferred.dueAt(), deferred.reason(), SavepointState.WAITING,
                    deferred.why());
        } else if (event instanceof SavepointAbandoned abandoned) {
            String why = "given up after " + abandoned.attempts() + " attempts: " + abandoned.cause();
            draft.savepoint = latest != null && latest.reason() == abandoned.reason()
                    ? latest.ended(SavepointState.FAILED, why)
                    : new SavepointRequest(null, null, at, abandoned.reason(), SavepointState.FAILED, why);
        } else if (event instanceof SavepointRejected rejected) {
            draft.savepoint = new SavepointRequest(null, null, at, rejected.reason(), SavepointState.TRIGGER_FAILED,
                    rejected.cause());
        } else if (event instanceof SavepointCompleted completed && completed.generation() != null) {
            if (latest != null && completed.triggerId().equals(latest.triggerId())) {
                draft.savepoint = latest.ended(SavepointState.SUCCEEDED, null);
            }
            draft.savepointGeneration = completed.generation();
            draft.consecutiveFailures = 0;
            draft.latestSavepoint = LatestSavepoint.newer(status.latestSavepoint(), completed.triggerId(),
                    completed.location(), completed.completedAt());
        } else if (event instanceof SavepointFailed failed) {
            draft.consecutiveFailures = status.consecutiveFailures() + 1;
            if (latest != null && failed.triggerId().equals(latest.triggerId())) {
                draft.savepoint = latest.ended(SavepointState.FAILED, failed.cause());
            }
        }
    }

    private static void controls(Draft draft, JobStatus status, JobEvent event, Instant at) {
        if (event instanceof ControlRequested requested) {
            draft.control = new ControlStatus(requested.controlId(), requested.name().value(), ControlState.PROGRESSING,
                    null, null, null, at);
        } else if (event instanceof ControlSucceeded succeeded) {
            draft.control = new ControlStatus(succeeded.controlId(), succeeded.name().value(), ControlState.SUCCEEDED,
                    succeeded.flinkJobId(), succeeded.savepointTriggerId(), null, at);
        } else if (event instanceof ControlFailed failed) {
            draft.control = new ControlStatus(failed.controlId(), failed.name().value(), ControlState.FAILED,
                    failed.flinkJobId(), failed.savepointTriggerId(), failed.message(), at);
        } else if (event instanceof ControlRejected rejected && !controlInProgress(status)) {
            // refused while another runs, it leaves status.control to the running one (its Event still says why)
            draft.control = new ControlStatus(null, rejected.name(), ControlState.FAILED, null, null, rejected.reason(), at);
        }
    }

    /** An upgrade shows as the {@value ControlStatus#UPDATE} control, and the cluster as Updating meanwhile. */
    private static void upgrades(Draft draft, JobEvent event, Instant at) {
        if (event instanceof JobUpgradeStarted started) {
            draft.updating = true;
            draft.control = update(ControlState.PROGRESSING, (started.takeSavepoint()
                    ? "upgrading: the running version is stopped with a savepoint, the new one starts from it"
                    : "upgrading: the running version is cancelled, the new one starts from "
                    + (started.fromSavepoint() == null ? "empty state" : started.fromSavepoint()))
                    + started.to().whereMovedFrom(started.from()), at);
        } else if (event instanceof JobUpgradeWaiting waiting) {
            draft.control = update(ControlState.PROGRESSING, waiting.why(), at);
        } else if (event instanceof JobUpgradeSucceeded succeeded) {
            draft.updating = false;
            draft.control = update(ControlState.SUCCEEDED, "upgraded: runs as " + succeeded.flinkJobId() + " from "
                    + (succeeded.fromSavepoint() == null ? "empty state" : succeeded.fromSavepoint()), at);
        } else if (event instanceof JobUpgradeRolledBack rolledBack) {
            draft.updating = false;
            draft.control = update(ControlState.FAILED, "rolled back: the new version failed (" + rolledBack.cause()
                    + "); the previous version runs again from " + rolledBack.savepoint(), at);
        } else if (event instanceof JobUpgradeRefused refused) {
            draft.control = update(ControlState.FAILED, "not upgraded: " + refused.reason(), at);
        }
    }

    private static ControlStatus update(ControlState state, String message, Instant at) {
        return new ControlStatus(null, ControlStatus.UPDATE, state, null, null, message, at);
    }

    /** Whether a user control is in progress, which a refused one leaves in place. */
    static boolean controlInProgress(JobStatus status) {
        return status.control() != null && status.control().state() == ControlState.PROGRESSING;
    }

    private static void jobManager(Draft draft, JobEvent event, Instant at) {
        if (event instanceof JobManagerUnreachable unreachable) {
            draft.jobManager = new JobManagerStatus(ComponentState.NOT_READY, unreachable.since(),
                    "the JobManager did not answer " + unreachable.failedRounds() + " observer rounds in a row since "
                            + unreachable.since() + (unreachable.cause() == null ? "" : ": " + unreachable.cause()));
        } else if (event instanceof JobManagerReachable) {
            draft.jobManager = new JobManagerStatus(ComponentState.READY, at, null);
        } else if (draft.jobManager == null && (event instanceof JobSubmitted || event instanceof RestartedFromSavepoint
                || event instanceof JobStateChanged)) {
            draft.jobManager = new JobManagerStatus(ComponentState.READY, at, null); // it answered: first seen
        }
    }

    private static ControlStatus refusal(String reason, Instant at) {
        return new ControlStatus(null, ControlStatus.UPDATE, ControlState.FAILED, null, null, reason, at);
    }

    private static ControlStatus corrected(Instant at) {
        return new ControlStatus(null, ControlStatus.UPDATE, ControlState.SUCCEEDED, null, null, null, at);
    }

    private static boolean sameFacts(JobStatus a, JobStatus b) {
        return Objects.equals(a.uid(), b.uid()) && a.incarnation() == b.incarnation()
                && a.registered() == b.registered() && a.state() == b.state()
                && Objects.equals(a.flinkJobId(), b.flinkJobId()) && Objects.equals(a.fromSavepoint(), b.fromSavepoint())
                && a.restartCount() == b.restartCount() && a.failureReasons().equals(b.failureReasons())
                && a.savepointGeneration() == b.savepointGeneration()
                && Objects.equals(a.latestSavepoint(), b.latestSavepoint()) && Objects.equals(a.savepoint(), b.savepoint())
                && Objects.equals(a.control(), b.control()) && Objects.equals(a.jobManager(), b.jobManager())
                && a.times().equals(b.times()) && a.finalSavepoint() == b.finalSavepoint() && a.updating() == b.updating()
                && Objects.equals(a.components(), b.components())
                && Objects.equals(a.savepointIntervalSeconds(), b.savepointIntervalSeconds())
                && a.consecutiveFailures() == b.consecutiveFailures();
    }

    /** A status being changed by one event. */
    private static final class Draft {
        String uid;
        int incarnation;
        boolean registered;
        JobState state;
        String flinkJobId;
        String fromSavepoint;
        int restartCount;
        List<String> failureReasons;
        long savepointGeneration;
        LatestSavepoint latestSavepoint;
        SavepointRequest savepoint;
        ControlStatus control;
        JobManagerStatus jobManager;
        RunTimes times;
        boolean finalSavepoint;
        boolean updating;
        Instant updatedAt;
        ClusterComponents components;
        Integer savepointIntervalSeconds;
        int consecutiveFailures;

        Draft(JobStatus status) {
            uid = status.uid();
            incarnation = status.incarnation();
            registered = status.registered();
            state = status.state();
            flinkJobId = status.flinkJobId();
            fromSavepoint = status.fromSavepoint();
            restartCount = status.restartCount();
            failureReasons = status.failureReasons();
            savepointGeneration = status.savepointGeneration();
            latestSavepoint = status.latestSavepoint();
            savepoint = status.savepoint();
            control = status.control();
            jobManager = status.jobManager();
            times = status.times();
            finalSavepoint = status.finalSavepoint();
            updating = status.updating();
            updatedAt = status.updatedAt();
            components = status.components();
            savepointIntervalSeconds = status.savepointIntervalSeconds();
            consecutiveFailures = status.consecutiveFailures();
        }

        JobStatus build(Instant at) {
            return new JobStatus(uid, incarnation, registered, state, flinkJobId, fromSavepoint, restartCount,
                    failureReasons, savepointGeneration, latestSavepoint, savepoint, control, jobManager, times,
                    finalSavepoint, updating, at, components, savepointIntervalSeconds, consecutiveFailures);
        }
    }
}

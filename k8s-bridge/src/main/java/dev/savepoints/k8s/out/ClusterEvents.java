package dev.savepoints.k8s.out;

import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.JobEvent;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobManagerReachable;
import dev.savepoints.command.api.JobManagerUnreachable;
import dev.savepoints.command.api.JobRegistrationRejected;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobSettingsRejected;
import dev.savepoints.command.api.JobSubmissionFailed;
import dev.savepoints.command.api.JobUpgradeRefused;
import dev.savepoints.command.api.JobUpgradeRolledBack;
import dev.savepoints.command.api.JobUpgradeStarted;
import dev.savepoints.command.api.JobUpgradeSucceeded;
import dev.savepoints.command.api.JobUpgradeWaiting;
import dev.savepoints.command.api.RestartedFromSavepoint;
import dev.savepoints.command.api.SavepointAbandoned;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointDeferred;
import dev.savepoints.command.api.SavepointDisposalFailed;
import dev.savepoints.command.api.SavepointDisposed;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.status.ControlState;
import dev.savepoints.command.api.status.ControlStatus;
import dev.savepoints.command.api.status.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** The Kubernetes Event, if any, that records a job's event on its FlinkCluster (docs/kubernetes.md lists them). */
record ClusterEvents(boolean warning, String reason, String message) {

    static Optional<ClusterEvents> of(JobEvent event, JobStatus before, JobStatus after, Instant at) {
        return Optional.ofNullable(eventOf(event, before, after, at));
    }

    private static ClusterEvents eventOf(JobEvent event, JobStatus before, JobStatus after, Instant at) {
        if (event instanceof JobRegistrationRejected rejected) {
            return warning("SpecRejected", rejected.reason());
        } else if (event instanceof JobSettingsRejected rejected) {
            return warning("SpecRejected", rejected.reason());
        } else if (corrected(before, after)) {
            return normal("SpecAccepted", "the corrected spec was taken; the earlier refusal no longer applies");
        } else if (event instanceof JobFailed failed) {
            return warning("JobFailed", failed.cause());
        } else if (event instanceof JobSubmissionFailed failed) {
            return warning("JobSubmissionFailed", failed.cause());
        } else if (event instanceof JobRestartRefused refused) {
            return warning("RestartRefused", "job not restarted: " + refused.reason());
        } else if (event instanceof RestartedFromSavepoint restarted) {
            return normal("RestartedFromSavepoint", "job restarted as " + restarted.flinkJobId() + " from "
                    + restarted.savepointLocation());
        } else if (event instanceof JobManagerUnreachable) {
            return warning("JobManagerUnreachable", after.jobManager().message()
                    + "; the job's state is Unknown until it answers");
        } else if (event instanceof JobManagerReachable reachable) {
            return normal("JobManagerReachable", "the JobManager answers again, after "
                    + Duration.between(reachable.unreachableSince(), at).toSeconds() + " s without an answer");
        }
        return upgrade(event, after);
    }

    private static ClusterEvents upgrade(JobEvent event, JobStatus after) {
        String message = after.control() == null ? null : after.control().message();
        if (event instanceof JobUpgradeStarted) {
            return normal("UpgradeStarted", message);
        } else if (event instanceof JobUpgradeWaiting) {
            return warning("UpgradeWaiting", message);
        } else if (event instanceof JobUpgradeSucceeded) {
            return normal("UpgradeSucceeded", message);
        } else if (event instanceof JobUpgradeRolledBack) {
            return warning("UpgradeRolledBack", message);
        } else if (event instanceof JobUpgradeRefused) {
            return warning("UpgradeRefused", message);
        }
        return savepointOrControl(event);
    }

    private static ClusterEvents savepointOrControl(JobEvent event) {
        if (event instanceof SavepointTriggered triggered) {
            return normal("SavepointTriggered", "savepoint " + triggered.triggerId() + " ("
                    + triggered.reason().statusValue() + ") to " + triggered.targetDirectory());
        } else if (event instanceof SavepointDeferred deferred) {
            return normal("SavepointWaiting", deferred.reason().statusValue() + " savepoint due at " + deferred.dueAt()
                    + " waits until it can be taken: " + deferred.why());
        } else if (event instanceof SavepointAbandoned abandoned) {
            return warning("SavepointAbandoned", abandoned.reason().statusValue() + " savepoint for savepointGeneration "
                    + abandoned.requestedGeneration() + " given up after " + abandoned.attempts() + " attempts: "
                    + abandoned.cause() + "; change the spec, or take one with the annotation, to ask again");
        } else if (event instanceof SavepointRejected rejected) {
            return warning("SavepointRejected", rejected.cause());
        } else if (event instanceof SavepointCompleted completed && completed.generation() != null) {
            return normal("SavepointCreated", "savepoint " + completed.triggerId() + " at " + completed.location());
        } else if (event instanceof SavepointFailed failed) {
            return warning("SavepointFailed", "savepoint " + failed.triggerId() + ": " + failed.cause());
        } else if (event instanceof ControlRequested requested) {
            return normal("ControlRequested", requested.name().value() + " requested by " + requested.requestedBy().actor());
        } else if (event instanceof ControlSucceeded succeeded) {
            return normal("ControlSucceeded", succeeded.name().value() + " succeeded");
        } else if (event instanceof ControlFailed failed) {
            return warning("ControlFailed", failed.name().value() + ": " + failed.message());
        } else if (event instanceof ControlRejected rejected) {
            return warning("ControlRejected", rejected.reason());
        }
        return retention(event);
    }

    private static ClusterEvents retention(JobEvent event) {
        if (event instanceof SavepointDisposed disposed) {
            return normal("SavepointDisposed", "savepoint " + disposed.triggerId() + " ("
                    + disposed.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ") disposed of: "
                    + disposed.location());
        } else if (event instanceof SavepointDisposalFailed failed) {
            return warning("SavepointDisposalFailed", "savepoint " + failed.triggerId() + " at " + failed.location()
                    + " not disposed of (attempt " + failed.attempt() + "): " + failed.cause()
                    + "; it is kept and tried again at " + failed.retryAt());
        }
        return null;
    }

    /** A refused spec change was followed by one that was taken. */
    private static boolean corrected(JobStatus before, JobStatus after) {
        ControlStatus was = before.control();
        ControlStatus now = after.control();
        return was != null && now != null && ControlStatus.UPDATE.equals(was.name()) && ControlStatus.UPDATE.equals(now.name())
                && was.state() == ControlState.FAILED && now.state() == ControlState.SUCCEEDED;
    }

    private static ClusterEvents warning(String reason, String message) {
        return new ClusterEvents(true, reason, message);
    }

    private static ClusterEvents normal(String reason, String message) {
        return new ClusterEvents(false, reason, message);
    }
}

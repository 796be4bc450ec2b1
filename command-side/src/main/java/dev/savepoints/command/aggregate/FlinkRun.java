package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.Timing.now;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.FailJobSubmission;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobEvent;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobManagerAddressSet;
import dev.savepoints.command.api.JobManagerReachable;
import dev.savepoints.command.api.JobManagerUnreachable;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRegistrationRejected;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobRestartRequested;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmissionFailed;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.JobVersion;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.ReportJobManagerReachable;
import dev.savepoints.command.api.ReportJobManagerUnreachable;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RestartedFromSavepoint;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * The job as Flink runs it (an aggregate member): its state, which follows {@link JobState#after} (the one mapping
 * of events to states), the Flink job id of this incarnation, and whether its JobManager answers. Decides what the
 * reports of the gateway and its observer mean; what a change means for a control, the schedule or a restart, it
 * hands to those parts.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
class FlinkRun {

    private JobState state;
    private String flinkJobId;
    /** The observer could not reach the JobManager since this time; null while it answers. */
    private Instant jobManagerUnreachableSince;
    /** What was last submitted: the version Flink runs (an upgrade may differ from the spec), and from where. */
    private JobArtifact artifact;
    private boolean allowNonRestoredState;
    private String submittedFrom;
    /** The JobManager the service calls for this job ({@link JobManagerAddressSet}); null: the default address. */
    private String jobManagerUrl;
    /** The revision of the created Flink cluster the Flink job was submitted to; and the one declared now. */
    private String clusterRevision;
    private String declaredClusterRevision;

    JobState state() {
        return state;
    }

    String flinkJobId() {
        return flinkJobId;
    }

    /** The version last submitted; null before the first submission. */
    JobArtifact artifact() {
        return artifact;
    }

    boolean allowNonRestoredState() {
        return allowNonRestoredState;
    }

    /** What was last submitted, at the JobManager it is called at (no artifact before the first submission). */
    JobVersion version() {
        return new JobVersion(artifact, allowNonRestoredState, jobManagerUrl, clusterRevision);
    }

    /** The JobManager address the job's Flink job is called at; an upgrade moves it where the spec differs. */
    String jobManagerUrl() {
        return jobManagerUrl;
    }

    boolean jobManagerUnreachable() {
        return jobManagerUnreachableSince != null;
    }

    /** Why no savepoint or control can be taken of the job on Flink: it does not run, or its JobManager is away. */
    Optional<String> whyNotRunning() {
        if (state != JobState.RUNNING || flinkJobId == null) {
            return Optional.of("the job is not running (state " + state.statusValue() + ")");
        }
        if (jobManagerUnreachableSince != null) {
            return Optional.of(unreachable());
        }
        return Optional.empty();
    }

    String unreachable() {
        return "the JobManager cannot be reached since " + jobManagerUnreachableSince;
    }

    /** Whether Flink never ran this incarnation's job: no jar yet, or its submission failed. */
    boolean neverStarted() {
        return state == JobState.PENDING || (state == JobState.FAILED && flinkJobId == null);
    }

    // ---- decisions ----

    void submitted(RecordJobSubmitted command, FlinkJob job) {
        job.requireRegistered();
        if (command.flinkJobId().equals(flinkJobId)) {
            return; // a repeated report
        }
        if (state != JobState.PENDING) {
            throw new IllegalStateException("job " + job.jobId() + " is not waiting for a submission (state " + state + ")");
        }
        answered(job);
        apply(new JobSubmitted(job.jobId(), command.flinkJobId(), submittedFrom));
    }

    void submissionFailed(FailJobSubmission command, FlinkJob job, DeadlineManager deadlines, JobPolicy policy) {
        job.requireRegistered();
        if (state != JobState.PENDING && state != JobState.RESTARTING) {
            return; // a stale report: the job was submitted meanwhile
        }
        apply(new JobSubmissionFailed(job.jobId(), command.cause()));
        if (job.upgrades().failed(command.cause(), job)) {
            return; // the new version of an upgrade: the previous one runs again
        }
        if (job.restarts().restarting()) {
            job.restarts().decide(job, deadlines, policy); // a failed restart is retried with the next, longer backoff
        }
    }

    /**
     * The spec names another JobManager than {@code before}: a job deploying or running at the old one, which
     * answers, stays called there until an upgrade has stopped it. Anything else (no Flink job, or a JobManager that
     * does not answer and may be the wrong address) is called at the new address at once.
     */
    void addressChanged(String before, FlinkJob job) {
        if (flinkJobId != null && (state == JobState.RUNNING || state == JobState.DEPLOYING)
                && jobManagerUnreachableSince == null && !Objects.equals(before, job.settings().jobManagerUrl())) {
            apply(new JobManagerAddressSet(job.jobId(), before));
        }
    }

    /** The observer read the job's state on Flink. */
    void observed(ReportJobState command, FlinkJob job, DeadlineManager deadlines, JobPolicy policy, TriggerIds ids) {
        JobState observed = command.state();
        if (observed == null || !observed.observable()) {
            throw new IllegalArgumentException("a job cannot be observed in state " + observed);
        }
        if (!job.registered() || !Objects.equals(command.flinkJobId(), flinkJobId)) {
            return; // not ours
        }
        answered(job); // whatever it said
        if (state == JobState.PENDING) {
            return; // the previous Flink job (stopped for an upgrade, say): the one to come is not submitted yet
        }
        if (observed == state || state.terminal() || state == JobState.RESTARTING) {
            if (observed == JobState.RUNNING && state == JobState.RUNNING) {
                job.takeWaiting(ids, now());
            }
            return; // stale, or nothing new: a terminal Flink job does not come back
        }
        if ((observed == JobState.FINISHED || observed == JobState.CANCELLED)
                && job.savepoints().inFlight().filter(SavepointAttempt::stopJob).isPresent()) {
            return; // a stop with savepoint ends the job before Flink reports the savepoint: its result decides
        }
        if (job.controls().cancelObserved(observed, job) || job.upgrades().cancelObserved(observed, job)) {
            return;
        }
        if (observed == JobState.FAILED) {
            apply(new JobFailed(job.jobId(), flinkJobId, command.cause()));
        } else {
            apply(new JobStateChanged(job.jobId(), flinkJobId, state, observed));
        }
        if (observed.terminal()) {
            job.controls().jobEnded(observed, command.cause(), job);
        }
        if (observed == JobState.RUNNING) {
            job.upgrades().running(job, deadlines, policy);
            job.schedule().next(job, deadlines);
            job.takeWaiting(ids, now());
        }
        if ((observed == JobState.FAILED || observed == JobState.LOST)
                && !job.upgrades().failed(command.cause() == null ? "the job ended (" + observed.statusValue() + ")"
                        : command.cause(), job)) {
            job.restarts().decide(job, deadlines, policy);
        }
    }

    /** A stop with savepoint completed: the job it stopped is cancelled, unless it ended otherwise before. */
    void stoppedWithSavepoint(SavepointAttempt attempt, String location, FlinkJob job) {
        if (attempt.stopJob() && Objects.equals(attempt.flinkJobId(), flinkJobId) && !state.terminal()) {
            apply(new JobCancelled(job.jobId(), flinkJobId, location));
        }
    }

    /** The observer lost the JobManager of the job Flink runs for this incarnation: its state is unconfirmed. */
    void jobManagerUnreachable(ReportJobManagerUnreachable command, FlinkJob job) {
        if (!job.registered() || !Objects.equals(command.flinkJobId(), flinkJobId) || jobManagerUnreachableSince != null
                || (state != JobState.DEPLOYING && state != JobState.RUNNING)) {
            return; // not ours, known already, or a job whose state no JobManager has to confirm
        }
        apply(new JobManagerUnreachable(job.jobId(), flinkJobId, command.since(), command.failedRounds(),
                command.cause()));
    }

    /**
     * The JobManager answers again. A savepoint that fell due meanwhile waits for the job's state it reports next:
     * the job may be gone from a JobManager that restarted.
     */
    void jobManagerReachable(ReportJobManagerReachable command, FlinkJob job) {
        if (!job.registered() || !Objects.equals(command.flinkJobId(), flinkJobId)) {
            return;
        }
        answered(job);
    }

    /** Any answer of the JobManager, whatever it says, ends a time it could not be reached. */
    void answered(FlinkJob job) {
        if (jobManagerUnreachableSince != null) {
            apply(new JobManagerReachable(job.jobId(), flinkJobId, jobManagerUnreachableSince));
        }
    }

    // ---- event sourcing: assignments only ----

    private void follow(JobEvent event) {
        state = (state == null ? JobState.PENDING : state).after(event);
    }

    @EventSourcingHandler
    void on(JobRegistered event) {
        follow(event);
        flinkJobId = null;
        jobManagerUnreachableSince = null;
        jobManagerUrl = event.settings().jobManagerUrl();
        declaredClusterRevision = event.settings().clusterRevision();
        clusterRevision = declaredClusterRevision;
    }

    @EventSourcingHandler
    void on(JobSettingsChanged event) {
        jobManagerUrl = event.settings().jobManagerUrl();
        declaredClusterRevision = event.settings().clusterRevision();
        if (clusterRevision == null) {
            clusterRevision = declaredClusterRevision; // a job on a cluster the service did not create adopts it
        }
    }

    @EventSourcingHandler
    void on(JobManagerAddressSet event) {
        jobManagerUrl = event.jobManagerUrl();
    }

    @EventSourcingHandler
    void on(JobRegistrationRejected event) {
        if (state == null) {
            follow(event);
        }
    }

    @EventSourcingHandler
    void on(JobDeregistered event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobSubmissionRequested event) {
        follow(event);
        artifact = event.artifact();
        allowNonRestoredState = event.allowNonRestoredState();
        submittedFrom = event.fromSavepoint();
        clusterRevision = declaredClusterRevision; // submitted once the cluster is as declared
    }

    @EventSourcingHandler
    void on(JobRestartRequested event) {
        clusterRevision = declaredClusterRevision;
    }

    @EventSourcingHandler
    void on(JobSubmitted event) {
        flinkJobId = event.flinkJobId();
        follow(event);
    }

    @EventSourcingHandler
    void on(JobSubmissionFailed event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobStateChanged event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobFailed event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobRestartScheduled event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobRestartRefused event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(RestartedFromSavepoint event) {
        flinkJobId = event.flinkJobId();
        follow(event);
    }

    @EventSourcingHandler
    void on(JobCancelled event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobManagerUnreachable event) {
        jobManagerUnreachableSince = event.since();
    }

    @EventSourcingHandler
    void on(JobManagerReachable event) {
        jobManagerUnreachableSince = null;
    }
}

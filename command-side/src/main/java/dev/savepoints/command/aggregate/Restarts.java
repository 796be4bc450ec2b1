package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.Timing.now;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobRestartRequested;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobVersion;
import dev.savepoints.command.api.RecordRestart;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.RestartedFromSavepoint;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.status.LatestSavepoint;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * The restart of a failed or vanished job from its latest savepoint (an aggregate member): whether it may be
 * restarted, the backoff, which doubles for each failure since the last completed savepoint, and the restart once
 * the backoff is over. Counts the restarts, and the restart deadlines so that only the latest one counts.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
class Restarts {

    /** Failures since the last completed savepoint that were followed by a restart: the backoff doubles with each. */
    private int consecutiveRestarts;
    private int restartCount;
    /** How many restarts were scheduled: only the deadline of the latest one counts. */
    private long restartSchedules;

    /** Whether the job is being restarted after a failure, so that a failed submission is one more failure. */
    boolean restarting() {
        return consecutiveRestarts > 0;
    }

    /** The job failed or vanished: schedule its restart after the backoff, or refuse it with the reason. */
    void decide(FlinkJob job, DeadlineManager deadlines, JobPolicy policy) {
        if (job.settings().restartPolicy() != RestartPolicy.FROM_SAVEPOINT_ON_FAILURE) {
            return;
        }
        Optional<String> refusal = whyNot(job, now());
        if (refusal.isPresent()) {
            apply(new JobRestartRefused(job.jobId(), job.flinkJobId(), refusal.get()));
            return;
        }
        int attempt = consecutiveRestarts + 1;
        Instant dueAt = now().plus(policy.restartDelay(attempt));
        apply(new JobRestartScheduled(job.jobId(), job.flinkJobId(), job.savepoints().latest().location(), attempt, dueAt));
        deadlines.schedule(dueAt, FlinkJob.RESTART, restartSchedules);
    }

    /** Whether a restart deadline is the latest; an unnumbered one was the only one: its version cancelled the others. */
    boolean isLatest(DeadlineMessage<?> deadline) {
        return Timing.isLatest(deadline, restartSchedules, true);
    }

    /** The backoff is over: restart the job from its latest savepoint, if it still waits for that and still may. */
    void due(Instant firedAt, FlinkJob job) {
        if (!job.registered() || job.state() != JobState.RESTARTING) {
            return;
        }
        JobSettings settings = job.settings();
        Optional<String> refusal = settings.restartPolicy() != RestartPolicy.FROM_SAVEPOINT_ON_FAILURE
                ? Optional.of("restartPolicy is no longer FromSavepointOnFailure")
                : whyNot(job, firedAt);
        if (refusal.isPresent()) {
            apply(new JobRestartRefused(job.jobId(), job.flinkJobId(), refusal.get()));
            return;
        }
        JobVersion restarted = restartedVersion(job);
        apply(new JobRestartRequested(job.jobId(), restarted.artifact(), job.savepoints().latest().location(),
                restarted.allowNonRestoredState(), consecutiveRestarts));
    }

    private static Optional<String> whyNot(FlinkJob job, Instant at) {
        LatestSavepoint latest = job.savepoints().latest();
        if (latest == null) {
            return Optional.of("no savepoint is recorded to restart from");
        }
        Integer maxAge = job.settings().maxStateAgeToRestoreSeconds();
        if (job.savepoints().restorable(maxAge, at).isEmpty()) {
            return Optional.of(job.savepoints().tooOld(maxAge));
        }
        if (restartedVersion(job).artifact() == null) {
            return Optional.of("no jarFile is set to resubmit the job");
        }
        return Optional.empty();
    }

    /** The version that ran (after an upgrade rolled back, the spec names one that failed); the spec's before any ran. */
    private static JobVersion restartedVersion(FlinkJob job) {
        return job.run().artifact() != null ? job.run().version() : JobVersion.of(job.settings());
    }

    /** Flink runs the restarted job under {@code command.flinkJobId()}. */
    void restarted(RecordRestart command, FlinkJob job) {
        job.requireRegistered();
        if (command.flinkJobId().equals(job.flinkJobId())) {
            return;
        }
        job.run().answered(job);
        apply(new RestartedFromSavepoint(job.jobId(), job.flinkJobId(), command.flinkJobId(), command.savepointLocation(),
                consecutiveRestarts, restartCount + 1));
    }

    // ---- event sourcing: assignments only ----

    @EventSourcingHandler
    void on(JobRegistered event) {
        consecutiveRestarts = 0;
        restartCount = 0;
    }

    @EventSourcingHandler
    void on(JobRestartScheduled event) {
        consecutiveRestarts = event.attempt();
        restartSchedules++;
    }

    @EventSourcingHandler
    void on(RestartedFromSavepoint event) {
        restartCount = event.restartCount();
    }

    @EventSourcingHandler
    void on(SavepointCompleted event) {
        if (event.generation() != null) {
            consecutiveRestarts = 0; // the job made progress
        }
    }
}

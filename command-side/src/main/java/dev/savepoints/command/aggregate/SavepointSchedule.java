package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.Timing.now;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.AutomaticSavepointScheduled;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.SavepointDeferred;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * The automatic savepoints of a running job (an aggregate member): each schedule replaces the one before it, and
 * its {@code auto-savepoint} deadline carries its number so that a superseded one does nothing when it fires. A
 * savepoint due while another savepoint or a control runs is put off by the retry interval; one due while the
 * JobManager cannot be reached is deferred and taken as soon as it can be.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
class SavepointSchedule {

    /** How many automatic savepoints were scheduled: only the deadline of the latest one counts. */
    private long automaticSavepointSchedules;
    /** A savepoint that fell due while it could not be taken; taken as soon as it can be. */
    private TriggerReason deferredSavepoint;

    /** The next savepoint one interval from now, for a running job with a schedule. */
    void next(FlinkJob job, DeadlineManager deadlines) {
        if (job.state() == JobState.RUNNING && job.settings().automaticSavepoints()) {
            replace(job, deadlines, now(), intervalOf(job.settings()));
        }
    }

    /** The interval changed: a running job's next savepoint is one new interval from now; none if switched off. */
    void intervalChanged(FlinkJob job, DeadlineManager deadlines) {
        if (job.state() == JobState.RUNNING) {
            replace(job, deadlines, now(), intervalOf(job.settings())); // switched off: the old one is ignored when due
        }
    }

    /** A savepoint failed: a scheduled one, or the one of a stop that left the job running, is tried again soon. */
    void savepointFailed(SavepointAttempt attempt, FlinkJob job, DeadlineManager deadlines, JobPolicy policy) {
        if (job.registered() && job.state() == JobState.RUNNING && job.settings().automaticSavepoints()
                && (attempt.reason() == TriggerReason.SCHEDULED || attempt.stopJob())) {
            replace(job, deadlines, now(), policy.scheduledRetryInterval());
        }
    }

    /** Whether an {@code auto-savepoint} deadline is the latest; an unnumbered one counts until a numbered follows. */
    boolean isLatest(DeadlineMessage<?> deadline) {
        return Timing.isLatest(deadline, automaticSavepointSchedules, automaticSavepointSchedules == 0);
    }

    /** The latest schedule's savepoint is due. */
    void due(Instant firedAt, FlinkJob job, DeadlineManager deadlines, JobPolicy policy, TriggerIds ids) {
        if (!job.registered() || job.state() != JobState.RUNNING || !job.settings().automaticSavepoints()) {
            return; // the job stopped or the schedule was switched off; a new start schedules again
        }
        if (job.run().jobManagerUnreachable()) {
            if (deferredSavepoint == null) { // taken when the JobManager answers again
                apply(new SavepointDeferred(job.jobId(), TriggerReason.SCHEDULED, job.run().unreachable(),
                        RequestedBy.service(Source.SCHEDULE), firedAt));
            }
            return;
        }
        if (job.savepoints().inFlight().isPresent() || job.controls().inProgress()) {
            replace(job, deadlines, firedAt, policy.scheduledRetryInterval());
            return;
        }
        job.savepoints().trigger(job, ids.next(), TriggerReason.SCHEDULED, false, null,
                RequestedBy.service(Source.SCHEDULE), firedAt);
    }

    /** The savepoint that was deferred, now that the job runs, its JobManager answers and nothing else is in flight. */
    void takeDeferred(FlinkJob job, TriggerIds ids) {
        if (deferredSavepoint != null && job.state() == JobState.RUNNING && !job.run().jobManagerUnreachable()
                && job.savepoints().inFlight().isEmpty() && !job.controls().inProgress()
                && job.settings().hasSavepointsDir()) {
            job.savepoints().trigger(job, ids.next(), deferredSavepoint, false, null,
                    RequestedBy.service(Source.SCHEDULE), now());
        }
    }

    /** Replaces the schedule with one due {@code delay} after {@code from}; none for null. */
    private void replace(FlinkJob job, DeadlineManager deadlines, Instant from, Duration delay) {
        if (delay != null) {
            Instant dueAt = from.plus(delay);
            apply(new AutomaticSavepointScheduled(job.jobId(), dueAt));
            deadlines.schedule(dueAt, FlinkJob.AUTO_SAVEPOINT, automaticSavepointSchedules);
        }
    }

    private static Duration intervalOf(JobSettings settings) {
        return settings.automaticSavepoints() ? Duration.ofSeconds(settings.autoSavepointSeconds()) : null;
    }

    // ---- event sourcing: assignments only ----

    @EventSourcingHandler
    void on(JobRegistered event) {
        deferredSavepoint = null;
    }

    @EventSourcingHandler
    void on(AutomaticSavepointScheduled event) {
        automaticSavepointSchedules++;
    }

    @EventSourcingHandler
    void on(SavepointDeferred event) {
        if (event.reason() == TriggerReason.SCHEDULED) { // a standing request's waits are GenerationRequest's
            deferredSavepoint = event.reason();
        }
    }

    @EventSourcingHandler
    void on(SavepointTriggered event) {
        deferredSavepoint = null; // any savepoint taken serves the one that waited: the schedule starts anew after it
    }
}

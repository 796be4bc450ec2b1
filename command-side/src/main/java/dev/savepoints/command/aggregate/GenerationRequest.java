package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.Timing.now;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.SavepointAbandoned;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointDeferred;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * {@code spec.job.savepointGeneration} as a standing request (an aggregate member): status + 1 asks for one savepoint,
 * taken as soon as the job can take it (running, its JobManager answering, no savepoint or control in flight), exactly
 * once. A savepoint of it that fails is tried again after a doubling backoff, up to the policy's attempts, then
 * abandoned; a later spec change, or any savepoint that reaches the generation, ends that. Any other value is refused,
 * once per value; a spec change lets a refused or abandoned value be asked again.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
class GenerationRequest {

    /** The generation the savepoints of this incarnation reached. */
    private long reached;
    /** The generation asked for, until a savepoint reaches it or it is abandoned; null when none is. */
    private Long requested;
    private RequestedBy requestedBy;
    /** Whether its savepoint is in flight (else it waits). */
    private boolean inFlight;
    /** Not before then: a retry's backoff. */
    private Instant notBefore;
    private int failures;
    private boolean abandoned;
    /** The last value refused, so that a resync does not refuse it again. */
    private Long refused;
    /** How many retries were scheduled: only the deadline of the latest one counts. */
    private long retrySchedules;

    /** The spec asks for {@code command.requestedGeneration()}. */
    Decision requested(TriggerSavepoint command, FlinkJob job, TriggerIds ids) {
        Long generation = command.requestedGeneration();
        if (generation == null) {
            throw new IllegalArgumentException("a generation bump needs the requested generation");
        }
        if (generation <= reached) {
            return Decision.duplicate(null, "savepointGeneration " + generation + " is reached");
        }
        if (generation.equals(requested)) {
            return Decision.duplicate(null, abandoned ? "savepointGeneration " + generation + " was given up; change "
                    + "the spec or take a savepoint with the annotation" : "savepointGeneration " + generation + " stands");
        }
        if (generation.equals(refused)) {
            return Decision.duplicate(null, "savepointGeneration " + generation + " was already decided");
        }
        Optional<String> refusal = generation != reached + 1
                ? Optional.of("savepointGeneration may only be set to status + 1 (" + (reached + 1) + "), was " + generation)
                : !job.registered() ? Optional.of("the job is not registered")
                : !job.settings().hasSavepointsDir() ? Optional.of("no savepointsDir is set") : Optional.empty();
        if (refusal.isPresent()) {
            apply(new SavepointRejected(job.jobId(), TriggerReason.GENERATION_BUMP, generation, refusal.get(),
                    command.requestedBy()));
            return Decision.rejected(refusal.get());
        }
        Optional<String> notNow = whyNotNow(job);
        if (notNow.isPresent()) {
            apply(new SavepointDeferred(job.jobId(), TriggerReason.GENERATION_BUMP, notNow.get(), command.requestedBy(),
                    now(), generation));
            return Decision.waiting(notNow.get());
        }
        String triggerId = ids.next();
        job.savepoints().trigger(job, triggerId, TriggerReason.GENERATION_BUMP, false, null, command.requestedBy(), now());
        return Decision.accepted(triggerId);
    }

    /** Takes the savepoint that waits, if it can be taken at {@code at}. */
    void takeWaiting(FlinkJob job, TriggerIds ids, Instant at) {
        if (requested != null && !inFlight && !abandoned && requested == reached + 1
                && (notBefore == null || !at.isBefore(notBefore)) && whyNotNow(job).isEmpty()
                && job.settings().hasSavepointsDir()) {
            job.savepoints().trigger(job, ids.next(), TriggerReason.GENERATION_BUMP, false, null, requestedBy, at);
        }
    }

    /** Its savepoint failed: tried again after a backoff, or given up. */
    void savepointFailed(SavepointAttempt attempt, String cause, FlinkJob job, DeadlineManager deadlines,
                         JobPolicy policy) {
        if (attempt.reason() != TriggerReason.GENERATION_BUMP || requested == null || !job.registered()) {
            return;
        }
        int attempts = failures; // the failure just recorded included
        if (attempts >= policy.requestAttempts()) {
            apply(new SavepointAbandoned(job.jobId(), TriggerReason.GENERATION_BUMP, requested, attempts, cause));
            return;
        }
        Instant due = now().plus(policy.requestRetries().delay(attempts));
        apply(new SavepointDeferred(job.jobId(), TriggerReason.GENERATION_BUMP, "attempt " + attempts + " of "
                + policy.requestAttempts() + " failed (" + cause + "); trying again at " + due, requestedBy, due, requested));
        deadlines.schedule(due, FlinkJob.GENERATION_RETRY, retrySchedules);
    }

    boolean isLatest(DeadlineMessage<?> deadline) {
        return Timing.isLatest(deadline, retrySchedules, false);
    }

    private static Optional<String> whyNotNow(FlinkJob job) {
        Optional<String> notRunning = job.run().whyNotRunning();
        if (notRunning.isPresent()) {
            return notRunning;
        }
        if (job.savepoints().inFlight().isPresent()) {
            return Optional.of("savepoint " + job.savepoints().inFlight().get().triggerId() + " is still in progress");
        }
        return job.controls().inProgress() ? Optional.of("a control is in progress") : Optional.empty();
    }

    // ---- event sourcing: assignments only ----

    @EventSourcingHandler
    void on(JobRegistered event) {
        reached = 0;
        forget();
        refused = null;
    }

    @EventSourcingHandler
    void on(JobSettingsChanged event) {
        refused = null; // the spec changed: what was refused or given up may be asked for again
        if (abandoned) {
            forget();
        }
    }

    @EventSourcingHandler
    void on(SavepointRejected event) {
        if (event.reason() == TriggerReason.GENERATION_BUMP) {
            refused = event.requestedGeneration();
        }
    }

    @EventSourcingHandler
    void on(SavepointDeferred event) {
        if (event.reason() == TriggerReason.GENERATION_BUMP) {
            requested = event.requestedGeneration();
            requestedBy = event.requestedBy();
            inFlight = false;
            notBefore = event.dueAt();
            retrySchedules++;
        }
    }

    @EventSourcingHandler
    void on(SavepointTriggered event) {
        if (event.reason() == TriggerReason.GENERATION_BUMP) {
            requested = reached + 1;
            requestedBy = event.requestedBy();
            inFlight = true;
        }
    }

    @EventSourcingHandler
    void on(SavepointCompleted event) {
        if (event.generation() == null) {
            return; // of an earlier incarnation
        }
        reached = event.generation();
        if (requested != null && reached >= requested) {
            forget();
        }
    }

    @EventSourcingHandler
    void on(SavepointFailed event) {
        if (event.reason() == TriggerReason.GENERATION_BUMP && requested != null) {
            inFlight = false;
            failures++;
        }
    }

    @EventSourcingHandler
    void on(SavepointAbandoned event) {
        abandoned = true;
    }

    private void forget() {
        requested = null;
        requestedBy = null;
        inFlight = false;
        notBefore = null;
        failures = 0;
        abandoned = false;
    }
}

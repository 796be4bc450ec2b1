package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.Timing.now;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.RecordExternalSavepoint;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.command.api.status.LatestSavepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * The savepoints of a FlinkJob (an aggregate member): the savepoint generation of the current incarnation, its
 * latest savepoint, and the recent attempts by which late, repeated or external results are recognised. Decides
 * whether a savepoint may be taken (one in flight at a time) and records the results; what a result means for a
 * control, the schedule, a standing generation request or the job, its other parts decide.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
class SavepointLedger {

    /** How many recent savepoint attempts are remembered to recognise late or repeated results. */
    static final int REMEMBERED_ATTEMPTS = 32;

    private int incarnation;
    private long generation;
    private LatestSavepoint latest;
    private List<SavepointAttempt> attempts = new ArrayList<>();

    // ---- decisions ----

    /** A savepoint asked for through the REST API: taken now, or refused (a generation bump stands: see GenerationRequest). */
    Decision requested(TriggerSavepoint command, FlinkJob job, TriggerIds ids) {
        TriggerReason reason = command.reason();
        if (reason != TriggerReason.REST) {
            throw new IllegalArgumentException("a " + reason + " savepoint is not requested here");
        }
        Optional<String> refusal = whyNot(job);
        if (refusal.isPresent()) {
            apply(new SavepointRejected(job.jobId(), reason, null, refusal.get(), command.requestedBy()));
            return Decision.rejected(refusal.get());
        }
        String triggerId = ids.next();
        trigger(job, triggerId, reason, false, null, command.requestedBy(), now());
        return Decision.accepted(triggerId);
    }

    /** Why no savepoint can be taken now, if it cannot. */
    Optional<String> whyNot(FlinkJob job) {
        if (!job.registered()) {
            return Optional.of("the job is not registered");
        }
        if (!job.settings().hasSavepointsDir()) {
            return Optional.of("no savepointsDir is set");
        }
        Optional<String> notRunning = job.run().whyNotRunning();
        if (notRunning.isPresent()) {
            return notRunning;
        }
        return inFlight().map(a -> "savepoint " + a.triggerId() + " is still in progress");
    }

    /** Takes a savepoint of the job Flink runs, to the job's savepointsDir; the only way one is triggered. */
    void trigger(FlinkJob job, String triggerId, TriggerReason reason, boolean stopJob, String controlId,
                 RequestedBy requestedBy, Instant at) {
        JobSettings settings = job.settings();
        apply(new SavepointTriggered(job.jobId(), triggerId, job.flinkJobId(), reason, settings.savepointsDir(),
                settings.savepointFormatType(), stopJob, controlId, requestedBy, at));
    }

    /**
     * Records a completed savepoint, late or not; a repeated report records nothing. Returns the attempt when it is
     * of the registered incarnation, whose other parts then follow it.
     */
    Optional<SavepointAttempt> complete(CompleteSavepoint command, FlinkJob job) {
        SavepointAttempt attempt = attempt(job.jobId(), command.triggerId());
        if (attempt.status() == SavepointAttempt.Status.COMPLETED) {
            return Optional.empty(); // a repeated report
        }
        if (command.location() == null || command.location().isBlank()) {
            throw new IllegalArgumentException("a completed savepoint needs its location");
        }
        boolean current = attempt.incarnation() == incarnation;
        boolean late = attempt.status() == SavepointAttempt.Status.FAILED;
        apply(new SavepointCompleted(job.jobId(), attempt.triggerId(), attempt.flinkJobId(), attempt.reason(),
                current ? generation + 1 : null, command.location(), attempt.triggeredAt(), now(), late));
        return current && job.registered() ? Optional.of(attempt) : Optional.empty();
    }

    /**
     * Records the failure of a savepoint in flight; a completed one is never turned into a failure by a later
     * report. Returns the attempt that failed.
     */
    Optional<SavepointAttempt> fail(FailSavepoint command, FlinkJob job) {
        SavepointAttempt attempt = attempt(job.jobId(), command.triggerId());
        if (attempt.status() != SavepointAttempt.Status.IN_FLIGHT) {
            return Optional.empty();
        }
        apply(new SavepointFailed(job.jobId(), attempt.triggerId(), attempt.flinkJobId(), attempt.reason(),
                cause(command), command.timedOut(), attempt.triggeredAt(), now(),
                command.timedOut() ? command.lateWatchUntil() : null));
        return Optional.of(attempt);
    }

    /** How a failure reads where it ends something else, such as a control. */
    static String failure(FailSavepoint command) {
        return (command.timedOut() ? "savepoint timed out: " : "savepoint failed: ") + cause(command);
    }

    private static String cause(FailSavepoint command) {
        return command.cause() == null || command.cause().isBlank() ? "no cause given" : command.cause();
    }

    /**
     * Records a savepoint Flink lists that the service may not have taken. Returns false when it cannot tell yet:
     * one of its own savepoints is in flight, or timed out and still watched, and this may be that one, whose own
     * report comes first.
     */
    boolean recordExternal(RecordExternalSavepoint command, FlinkJob job) {
        String flinkJobId = job.flinkJobId();
        if (!job.registered() || !Objects.equals(command.flinkJobId(), flinkJobId)) {
            return true; // a job this incarnation no longer runs
        }
        String triggerId = "external-" + command.flinkJobId() + "-" + command.checkpointId();
        if (knows(triggerId, command.location())) {
            return true; // taken by the service, or recorded before
        }
        if (inFlight().isPresent() || awaitsLateCompletion(flinkJobId, now())) {
            return false;
        }
        apply(new SavepointCompleted(job.jobId(), triggerId, flinkJobId, TriggerReason.EXTERNAL, generation + 1,
                command.location(), command.triggeredAt(), command.completedAt(), false));
        return true;
    }

    // ---- what the other parts read ----

    /** The status generation: completed savepoints of this incarnation. */
    long generation() {
        return generation;
    }

    LatestSavepoint latest() {
        return latest;
    }

    /**
     * The latest savepoint if a job may start from it at {@code at}: one is recorded, no older than
     * {@code maxAgeSeconds} ({@code maxStateAgeToRestoreSeconds}; null: any age).
     */
    Optional<LatestSavepoint> restorable(Integer maxAgeSeconds, Instant at) {
        return Optional.ofNullable(latest)
                .filter(l -> maxAgeSeconds == null || !l.completedAt().plusSeconds(maxAgeSeconds).isBefore(at));
    }

    /** Why the latest savepoint, recorded but not {@link #restorable}, may not be started from. */
    String tooOld(Integer maxAgeSeconds) {
        return "the latest savepoint (" + latest.completedAt() + ") is older than maxStateAgeToRestoreSeconds ("
                + maxAgeSeconds + ")";
    }

    Optional<SavepointAttempt> inFlight() {
        return attempts.stream().filter(a -> a.status() == SavepointAttempt.Status.IN_FLIGHT).findFirst();
    }

    private SavepointAttempt attempt(JobId jobId, String triggerId) {
        return attempts.stream().filter(a -> a.triggerId().equals(triggerId)).findFirst()
                .orElseThrow(() -> new UnknownSavepointException(jobId, triggerId));
    }

    /** Whether this trigger id, or a savepoint at this location, is already recorded. */
    private boolean knows(String triggerId, String location) {
        return attempts.stream().anyMatch(a -> a.triggerId().equals(triggerId) || location.equals(a.location()));
    }

    /** Whether a timed-out savepoint of {@code flinkJobId} may still complete: its own report is awaited. */
    private boolean awaitsLateCompletion(String flinkJobId, Instant now) {
        return attempts.stream().anyMatch(a -> a.mayCompleteLate(flinkJobId, now));
    }

    // ---- event sourcing: assignments only ----

    @EventSourcingHandler
    void on(JobRegistered event) {
        incarnation = event.incarnation();
        generation = 0;
        latest = null; // the attempts stay: a savepoint of the previous incarnation may still report late
    }

    @EventSourcingHandler
    void on(SavepointTriggered event) {
        remember(new SavepointAttempt(event.triggerId(), event.flinkJobId(), event.reason(),
                event.stopJob(), event.triggeredAt(), incarnation, SavepointAttempt.Status.IN_FLIGHT, null, null));
    }

    @EventSourcingHandler
    void on(SavepointCompleted event) {
        if (event.reason() == TriggerReason.EXTERNAL) {
            remember(new SavepointAttempt(event.triggerId(), event.flinkJobId(), event.reason(), false,
                    event.triggeredAt(), incarnation, SavepointAttempt.Status.COMPLETED, event.location(), null));
        } else {
            attempts.replaceAll(a -> a.triggerId().equals(event.triggerId()) ? a.completed(event.location()) : a);
        }
        if (event.generation() == null) {
            return;
        }
        generation = event.generation();
        latest = LatestSavepoint.newer(latest, event.triggerId(), event.location(), event.completedAt());
    }

    @EventSourcingHandler
    void on(SavepointFailed event) {
        attempts.replaceAll(a -> a.triggerId().equals(event.triggerId()) ? a.failed(event.lateWatchUntil()) : a);
    }

    private void remember(SavepointAttempt attempt) {
        attempts.add(attempt);
        if (attempts.size() > REMEMBERED_ATTEMPTS) {
            attempts.remove(0);
        }
    }
}

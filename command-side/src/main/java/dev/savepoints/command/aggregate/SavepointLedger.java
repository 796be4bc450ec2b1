package dev.savepoints.command.aggregate;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.status.LatestSavepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * The savepoint part of a FlinkJob's state (an aggregate member): the savepoint generation of the current
 * incarnation, its latest savepoint, the generations already decided, and the recent attempts by which late,
 * repeated or external results are recognised. Event-sourcing handlers only; the decisions stay in FlinkJob.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
class SavepointLedger {

    /** How many recent savepoint attempts are remembered to recognise late or repeated results. */
    static final int REMEMBERED_ATTEMPTS = 32;

    private int incarnation;
    private long generation;
    private long generationTriggered;
    private Long rejectedGeneration;
    private LatestSavepoint latest;
    private List<SavepointAttempt> attempts = new ArrayList<>();

    /** The status generation: completed savepoints of this incarnation. */
    long generation() {
        return generation;
    }

    LatestSavepoint latest() {
        return latest;
    }

    Optional<SavepointAttempt> inFlight() {
        return attempts.stream().filter(a -> a.status() == SavepointAttempt.Status.IN_FLIGHT).findFirst();
    }

    SavepointAttempt attempt(JobId jobId, String triggerId) {
        return attempts.stream().filter(a -> a.triggerId().equals(triggerId)).findFirst()
                .orElseThrow(() -> new UnknownSavepointException(jobId, triggerId));
    }

    /** Whether this trigger id, or a savepoint at this location, is already recorded. */
    boolean knows(String triggerId, String location) {
        return attempts.stream().anyMatch(a -> a.triggerId().equals(triggerId) || location.equals(a.location()));
    }

    /** Whether a timed-out savepoint of {@code flinkJobId} may still complete: its own report is awaited. */
    boolean awaitsLateCompletion(String flinkJobId, Instant now) {
        return attempts.stream().anyMatch(a -> a.mayCompleteLate(flinkJobId, now));
    }

    /** Whether a generation bump to {@code requested} was triggered, reached or rejected before. */
    boolean generationDecided(long requested) {
        return requested <= Math.max(generation, generationTriggered)
                || (rejectedGeneration != null && rejectedGeneration == requested);
    }

    @EventSourcingHandler
    void on(JobRegistered event) {
        incarnation = event.incarnation();
        generation = 0;
        generationTriggered = 0;
        rejectedGeneration = null;
        latest = null; // the attempts stay: a savepoint of the previous incarnation may still report late
    }

    @EventSourcingHandler
    void on(SavepointTriggered event) {
        remember(new SavepointAttempt(event.triggerId(), event.flinkJobId(), event.reason(),
                event.stopJob(), event.triggeredAt(), incarnation, SavepointAttempt.Status.IN_FLIGHT, null, null));
        if (event.reason() == TriggerReason.GENERATION_BUMP) {
            generationTriggered = generation + 1;
        }
    }

    @EventSourcingHandler
    void on(SavepointRejected event) {
        if (event.reason() == TriggerReason.GENERATION_BUMP) {
            rejectedGeneration = event.requestedGeneration();
        }
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

package dev.savepoints.command.aggregate;

import dev.savepoints.command.api.TriggerReason;
import java.time.Instant;

/**
 * A savepoint the aggregate decided or recorded, remembered so a late or repeated report of its result is
 * recognised; {@code location} is set once it completed; {@code lateWatchUntil} is set while a timed-out one may
 * still complete.
 */
record SavepointAttempt(
        String triggerId,
        String flinkJobId,
        TriggerReason reason,
        boolean stopJob,
        Instant triggeredAt,
        int incarnation,
        Status status,
        String location,
        Instant lateWatchUntil) {

    enum Status { IN_FLIGHT, FAILED, COMPLETED }

    SavepointAttempt failed(Instant lateWatchUntil) {
        return new SavepointAttempt(triggerId, flinkJobId, reason, stopJob, triggeredAt, incarnation,
                Status.FAILED, null, lateWatchUntil);
    }

    /** A timed-out savepoint of {@code flinkJob} that Flink may still complete at {@code now}. */
    boolean mayCompleteLate(String flinkJob, Instant now) {
        return status == Status.FAILED && lateWatchUntil != null && now.isBefore(lateWatchUntil)
                && flinkJob.equals(flinkJobId);
    }

    SavepointAttempt completed(String at) {
        return new SavepointAttempt(triggerId, flinkJobId, reason, stopJob, triggeredAt, incarnation,
                Status.COMPLETED, at, null);
    }
}

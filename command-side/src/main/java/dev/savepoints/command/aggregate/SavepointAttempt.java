package dev.savepoints.command.aggregate;

import dev.savepoints.command.api.TriggerReason;
import java.time.Instant;

/**
 * A savepoint the aggregate decided or recorded, remembered so a late or repeated report of its result is
 * recognised; {@code location} is set once it completed.
 */
record SavepointAttempt(
        String triggerId,
        String flinkJobId,
        TriggerReason reason,
        String controlId,
        boolean stopJob,
        Instant triggeredAt,
        int incarnation,
        Status status,
        String location) {

    enum Status { IN_FLIGHT, FAILED, COMPLETED }

    SavepointAttempt failed() {
        return new SavepointAttempt(triggerId, flinkJobId, reason, controlId, stopJob, triggeredAt, incarnation,
                Status.FAILED, null);
    }

    SavepointAttempt completed(String at) {
        return new SavepointAttempt(triggerId, flinkJobId, reason, controlId, stopJob, triggeredAt, incarnation,
                Status.COMPLETED, at);
    }
}

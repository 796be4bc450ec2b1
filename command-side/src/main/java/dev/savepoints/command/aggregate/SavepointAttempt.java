package dev.savepoints.command.aggregate;

import dev.savepoints.command.api.TriggerReason;
import java.time.Instant;

/** A savepoint the aggregate decided, remembered so a late or repeated report of its result is recognised. */
record SavepointAttempt(
        String triggerId,
        String flinkJobId,
        TriggerReason reason,
        String controlId,
        boolean stopJob,
        Instant triggeredAt,
        int incarnation,
        Status status) {

    enum Status { IN_FLIGHT, FAILED, COMPLETED }

    SavepointAttempt with(Status newStatus) {
        return new SavepointAttempt(triggerId, flinkJobId, reason, controlId, stopJob, triggeredAt, incarnation, newStatus);
    }
}

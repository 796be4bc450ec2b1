package dev.savepoints.query.audit;

import java.time.Instant;

/**
 * A control action as the REST API returns it. {@code decision}: ACCEPTED or REJECTED (with {@code reason});
 * {@code outcome}: SUCCEEDED or FAILED once known. {@code sequence} orders the log (the event's global index).
 */
public record AuditView(
        long sequence,
        Instant at,
        String namespace,
        String name,
        String action,
        String source,
        String actor,
        String decision,
        String reason,
        String outcome,
        String outcomeDetail,
        Instant outcomeAt,
        String triggerId,
        String controlId,
        String eventId) {
}

package dev.savepoints.query.history;

import java.time.Instant;

/**
 * A savepoint attempt as the REST API returns it. {@code outcome}: IN_PROGRESS, COMPLETED, FAILED, TIMED_OUT.
 * {@code reason} is the service's (which request: SCHEDULED, GENERATION_BUMP, USER_CONTROL, REST, ...);
 * {@code triggerReason} the same in the words of {@code status.savepoint.triggerReason} (scheduled, user requested, ...).
 * {@code retention} of a completed one: RETAINED, DISPOSING, DISPOSAL_FAILED (kept, tried again at
 * {@code disposalRetryAt}), DISPOSED (its files gone at {@code disposedAt}); {@code retained} while its files are kept.
 */
public record SavepointView(
        String triggerId,
        String namespace,
        String name,
        int incarnation,
        String flinkJobId,
        String reason,
        String triggerReason,
        String source,
        String actor,
        String targetDirectory,
        String formatType,
        boolean stopJob,
        String controlId,
        String outcome,
        Long generation,
        String location,
        String failureCause,
        boolean late,
        Instant triggeredAt,
        Instant completedAt,
        Long durationMs,
        String retention,
        boolean retained,
        boolean pinned,
        String pinnedBy,
        String disposalReason,
        int disposalAttempts,
        String disposalFailure,
        Instant disposalRetryAt,
        String disposalMethod,
        Instant disposedAt) {
}

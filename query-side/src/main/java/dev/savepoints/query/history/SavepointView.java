package dev.savepoints.query.history;

import java.time.Instant;

/** A savepoint attempt as the REST API returns it. {@code outcome}: IN_PROGRESS, COMPLETED, FAILED, TIMED_OUT. */
public record SavepointView(
        String triggerId,
        String namespace,
        String name,
        int incarnation,
        String flinkJobId,
        String reason,
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
        Long durationMs) {
}

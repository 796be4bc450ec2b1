package dev.savepoints.command.api;

import java.time.Instant;

/**
 * The savepoint of {@code triggerId} failed, or timed out ({@code timedOut}); a timed-out one Flink took may still
 * complete, and is watched for until {@code lateWatchUntil} (null: nothing can complete late).
 */
public record SavepointFailed(JobId jobId, String triggerId, String flinkJobId, TriggerReason reason, String cause,
                              boolean timedOut, Instant triggeredAt, Instant failedAt, Instant lateWatchUntil) implements JobEvent {

    public SavepointFailed(JobId jobId, String triggerId, String flinkJobId, TriggerReason reason, String cause,
                           boolean timedOut, Instant triggeredAt, Instant failedAt) {
        this(jobId, triggerId, flinkJobId, reason, cause, timedOut, triggeredAt, failedAt, null);
    }
}

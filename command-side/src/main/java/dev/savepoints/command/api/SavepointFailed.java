package dev.savepoints.command.api;

import java.time.Instant;

/** The savepoint of {@code triggerId} failed, or timed out ({@code timedOut}). */
public record SavepointFailed(JobId jobId, String triggerId, String flinkJobId, TriggerReason reason, String cause, boolean timedOut, Instant triggeredAt, Instant failedAt) {
}

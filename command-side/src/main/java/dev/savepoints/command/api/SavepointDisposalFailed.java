package dev.savepoints.command.api;

import java.time.Instant;

/**
 * Disposal attempt {@code attempt} of savepoint {@code triggerId} failed for {@code cause}; the savepoint is still
 * retained and is tried again at {@code retryAt}.
 */
public record SavepointDisposalFailed(JobId jobId, String triggerId, String location, DisposalReason reason,
                                      String cause, int attempt, Instant failedAt, Instant retryAt) implements JobEvent {
}

package dev.savepoints.command.api;

import java.time.Instant;

/**
 * Savepoint {@code triggerId} at {@code location} is to be disposed of (attempt {@code attempt}, counting from 1), at
 * the JobManager the job is called at ({@code jobManagerUrl}; null: the service's default address for the job).
 * Nothing is forgotten yet: only {@link SavepointDisposed} says the files are gone.
 */
public record SavepointDisposalRequested(JobId jobId, String triggerId, String location, String jobManagerUrl,
                                         DisposalReason reason, int attempt, RequestedBy requestedBy,
                                         Instant requestedAt) implements JobEvent {
}

package dev.savepoints.command.api;

import java.time.Instant;

/** The files of savepoint {@code triggerId} are gone: it is no longer retained. */
public record SavepointDisposed(JobId jobId, String triggerId, String location, DisposalReason reason,
                                DisposalMethod method, int attempts, Instant disposedAt) implements JobEvent {
}

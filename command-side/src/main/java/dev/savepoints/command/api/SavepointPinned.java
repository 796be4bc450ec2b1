package dev.savepoints.command.api;

/** Savepoint {@code triggerId} is kept whatever the retention policy says, until unpinned. */
public record SavepointPinned(JobId jobId, String triggerId, String location, RequestedBy requestedBy)
        implements JobEvent {
}

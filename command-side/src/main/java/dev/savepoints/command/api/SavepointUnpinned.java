package dev.savepoints.command.api;

/** Savepoint {@code triggerId} falls under the retention policy again. */
public record SavepointUnpinned(JobId jobId, String triggerId, String location, RequestedBy requestedBy)
        implements JobEvent {
}

package dev.savepoints.command.api;

/** A disposal asked for by hand was refused for {@code cause} (the savepoint is protected, or not retained). */
public record SavepointDisposalRefused(JobId jobId, String triggerId, String cause, RequestedBy requestedBy)
        implements JobEvent {
}

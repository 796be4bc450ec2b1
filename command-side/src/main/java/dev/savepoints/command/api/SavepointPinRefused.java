package dev.savepoints.command.api;

/** A pin ({@code pin} true) or unpin asked for by hand was refused for {@code cause}: the savepoint is not retained. */
public record SavepointPinRefused(JobId jobId, String triggerId, boolean pin, String cause, RequestedBy requestedBy)
        implements JobEvent {
}

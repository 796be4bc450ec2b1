package dev.savepoints.command.api;

/** A user control was refused; {@code name} is the value as given. */
public record ControlRejected(JobId jobId, String name, String requestKey, String reason, RequestedBy requestedBy) implements JobEvent {
}

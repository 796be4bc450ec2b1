package dev.savepoints.command.api;

/** A user control was accepted and is in progress. */
public record ControlRequested(JobId jobId, String controlId, ControlName name, String requestKey, RequestedBy requestedBy) implements JobEvent {
}

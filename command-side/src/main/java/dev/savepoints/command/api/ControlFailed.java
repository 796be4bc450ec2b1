package dev.savepoints.command.api;

/** A user control ended without success. */
public record ControlFailed(JobId jobId, String controlId, ControlName name, String flinkJobId, String savepointTriggerId, String message) implements JobEvent {
}

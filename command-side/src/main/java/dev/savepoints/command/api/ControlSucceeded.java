package dev.savepoints.command.api;

/** A user control finished; the ids are those shown in {@code status.control.details}. */
public record ControlSucceeded(JobId jobId, String controlId, ControlName name, String flinkJobId, String savepointTriggerId, String savepointLocation) implements JobEvent {
}

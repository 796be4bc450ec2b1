package dev.savepoints.command.api;

/** The submission to Flink failed. */
public record JobSubmissionFailed(JobId jobId, String cause) implements JobEvent {
}

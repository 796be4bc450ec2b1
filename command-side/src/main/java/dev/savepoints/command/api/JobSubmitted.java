package dev.savepoints.command.api;

/** Flink accepted the job as {@code flinkJobId}. */
public record JobSubmitted(JobId jobId, String flinkJobId, String fromSavepoint) implements JobEvent {
}

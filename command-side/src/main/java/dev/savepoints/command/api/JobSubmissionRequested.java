package dev.savepoints.command.api;

/** The job is to be submitted to Flink, from {@code fromSavepoint} when it is set. */
public record JobSubmissionRequested(JobId jobId, JobArtifact artifact, String fromSavepoint, boolean allowNonRestoredState) implements JobEvent {
}

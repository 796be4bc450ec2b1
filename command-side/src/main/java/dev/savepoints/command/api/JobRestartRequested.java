package dev.savepoints.command.api;

/** The job is to be resubmitted from {@code savepointLocation}. */
public record JobRestartRequested(JobId jobId, JobArtifact artifact, String savepointLocation, boolean allowNonRestoredState, int attempt) implements JobEvent {
}

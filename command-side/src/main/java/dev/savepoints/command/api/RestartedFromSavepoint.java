package dev.savepoints.command.api;

/** The job runs again as {@code flinkJobId}, restored from {@code savepointLocation}. */
public record RestartedFromSavepoint(JobId jobId, String previousFlinkJobId, String flinkJobId, String savepointLocation, int attempt) {
}

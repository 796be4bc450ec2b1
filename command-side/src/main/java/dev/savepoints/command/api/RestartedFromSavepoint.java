package dev.savepoints.command.api;

/** The job runs again as {@code flinkJobId}, restored from {@code savepointLocation}; {@code restartCount} counts the restarts of this incarnation. */
public record RestartedFromSavepoint(JobId jobId, String previousFlinkJobId, String flinkJobId, String savepointLocation, int attempt, int restartCount) implements JobEvent {
}

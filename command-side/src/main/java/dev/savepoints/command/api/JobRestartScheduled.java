package dev.savepoints.command.api;

import java.time.Instant;

/** The failed job will be restarted from {@code savepointLocation} at {@code dueAt}; {@code attempt} counts restarts since the job last made progress. */
public record JobRestartScheduled(JobId jobId, String failedFlinkJobId, String savepointLocation, int attempt, Instant dueAt) implements JobEvent {
}

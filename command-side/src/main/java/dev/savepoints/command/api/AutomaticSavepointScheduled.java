package dev.savepoints.command.api;

import java.time.Instant;

/**
 * The next automatic savepoint of the job is due at {@code dueAt}: a first one when it starts running, the next
 * one after a savepoint, a retry after a failed or skipped one, or a new interval. It replaces any earlier schedule.
 */
public record AutomaticSavepointScheduled(JobId jobId, Instant dueAt) implements JobEvent {
}

package dev.savepoints.command.api;

import java.time.Instant;

/**
 * The job's retained savepoints are looked at again at {@code dueAt}: when the oldest reaches the policy's age
 * limit, or a failed disposal is to be tried again. It replaces any earlier check.
 */
public record RetentionCheckScheduled(JobId jobId, Instant dueAt) implements JobEvent {
}

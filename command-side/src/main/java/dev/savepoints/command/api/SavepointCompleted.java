package dev.savepoints.command.api;

import java.time.Instant;

/** The savepoint of {@code triggerId} exists at {@code location}. {@code generation} is the job's savepoint generation it made (null when it belongs to an earlier incarnation); {@code late} is set when it completed after being failed or timed out. */
public record SavepointCompleted(JobId jobId, String triggerId, String flinkJobId, TriggerReason reason, Long generation, String location, Instant triggeredAt, Instant completedAt, boolean late) implements JobEvent {
}

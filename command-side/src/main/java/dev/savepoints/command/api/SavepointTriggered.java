package dev.savepoints.command.api;

import java.time.Instant;

/** A savepoint was decided. {@code triggerId} (32 hex digits) is sent to Flink as its trigger id so that a retried call takes one savepoint, not two; {@code stopJob} stops the job with it; {@code controlId} ties it to a user control. */
public record SavepointTriggered(JobId jobId, String triggerId, String flinkJobId, TriggerReason reason, String targetDirectory, SavepointFormatType formatType, boolean stopJob, String controlId, RequestedBy requestedBy, Instant triggeredAt) implements JobEvent {
}

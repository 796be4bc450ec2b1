package dev.savepoints.command.api;

/** A savepoint request was refused for {@code cause}. */
public record SavepointRejected(JobId jobId, TriggerReason reason, Long requestedGeneration, String cause, RequestedBy requestedBy) implements JobEvent {
}

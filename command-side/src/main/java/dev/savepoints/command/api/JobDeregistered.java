package dev.savepoints.command.api;

/** The job is no longer managed (its resource was deleted, or replaced by a new incarnation). */
public record JobDeregistered(JobId jobId, String uid, String reason, RequestedBy requestedBy) implements JobEvent {
}

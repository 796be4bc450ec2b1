package dev.savepoints.command.api;

/** A FlinkCluster's job could not be registered: its settings break a rule. */
public record JobRegistrationRejected(JobId jobId, String uid, JobSettings settings, String reason, RequestedBy requestedBy) implements JobEvent {
}

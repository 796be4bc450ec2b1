package dev.savepoints.command.api;

/** A FlinkCluster's job is managed from now on; {@code incarnation} counts the resources of this name (1 for the first). */
public record JobRegistered(JobId jobId, String uid, int incarnation, JobSettings settings, RequestedBy requestedBy) implements JobEvent {
}

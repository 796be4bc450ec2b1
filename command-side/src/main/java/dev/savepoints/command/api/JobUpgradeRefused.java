package dev.savepoints.command.api;

/** The spec asks for {@code to}, but the job is not upgraded, for {@code reason}; the old version runs on. */
public record JobUpgradeRefused(JobId jobId, JobVersion to, String reason, RequestedBy requestedBy) implements JobEvent {
}

package dev.savepoints.command.api;

/** The job's settings changed. */
public record JobSettingsChanged(JobId jobId, JobSettings settings, RequestedBy requestedBy) implements JobEvent {
}

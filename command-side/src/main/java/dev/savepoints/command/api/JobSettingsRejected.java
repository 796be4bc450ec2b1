package dev.savepoints.command.api;

/** A change of the job's settings was refused; the previous settings stay in force. */
public record JobSettingsRejected(JobId jobId, JobSettings settings, String reason, RequestedBy requestedBy) implements JobEvent {
}

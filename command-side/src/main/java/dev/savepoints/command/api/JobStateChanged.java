package dev.savepoints.command.api;

/** Flink reports the job in a new state (failures are {@link JobFailed}). */
public record JobStateChanged(JobId jobId, String flinkJobId, JobState previousState, JobState state) implements JobEvent {
}

package dev.savepoints.command.api;

/** The Flink job failed; {@code cause} is its root cause as Flink reports it. */
public record JobFailed(JobId jobId, String flinkJobId, String cause) implements JobEvent {
}

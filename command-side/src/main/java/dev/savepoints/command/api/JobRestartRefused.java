package dev.savepoints.command.api;

/** The failed job is not restarted, for {@code reason} (no savepoint, too old, no jar). */
public record JobRestartRefused(JobId jobId, String flinkJobId, String reason) implements JobEvent {
}

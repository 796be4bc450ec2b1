package dev.savepoints.command.api;

/** The job is to be cancelled without a savepoint (no savepointsDir is set). */
public record JobCancelRequested(JobId jobId, String flinkJobId, String controlId) implements JobEvent {
}

package dev.savepoints.command.api;

/** The job was stopped on request; {@code finalSavepointLocation} is set when it was stopped with a savepoint. */
public record JobCancelled(JobId jobId, String flinkJobId, String finalSavepointLocation) implements JobEvent {
}

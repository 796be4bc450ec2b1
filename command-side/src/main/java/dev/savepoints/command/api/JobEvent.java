package dev.savepoints.command.api;

/**
 * An event of one managed job: every event the FlinkJob aggregate applies. Read models that follow a job's whole
 * status (the CR status writer, the query side) take them all through {@link dev.savepoints.command.api.status.JobStatus}.
 */
public interface JobEvent {

    JobId jobId();
}

package dev.savepoints.command.api;

import java.time.Instant;

/**
 * The JobManager of the job did not answer the observer for {@code failedRounds} rounds in a row, the first of them
 * at {@code since}; what the service knows of the job's state is unconfirmed until it answers again.
 */
public record JobManagerUnreachable(JobId jobId, String flinkJobId, Instant since, int failedRounds, String cause)
        implements JobEvent {
}

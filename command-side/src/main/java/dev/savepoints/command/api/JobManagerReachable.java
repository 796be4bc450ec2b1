package dev.savepoints.command.api;

import java.time.Instant;

/** The JobManager of the job answers again; it could not be reached from {@code unreachableSince}. */
public record JobManagerReachable(JobId jobId, String flinkJobId, Instant unreachableSince) implements JobEvent {
}

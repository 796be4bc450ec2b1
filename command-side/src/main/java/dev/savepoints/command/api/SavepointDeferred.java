package dev.savepoints.command.api;

import java.time.Instant;

/**
 * A savepoint that is due or asked for cannot be taken now, for {@code why} (the JobManager cannot be reached):
 * it is taken as soon as it can be, not dropped. {@code dueAt} is when it was due.
 */
public record SavepointDeferred(JobId jobId, TriggerReason reason, String why, RequestedBy requestedBy, Instant dueAt)
        implements JobEvent {
}

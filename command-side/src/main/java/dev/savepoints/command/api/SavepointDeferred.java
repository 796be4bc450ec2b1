package dev.savepoints.command.api;

import java.time.Instant;

/**
 * A savepoint that is due or asked for cannot be taken now, for {@code why} (the job is not running yet, another
 * savepoint is in flight, the JobManager cannot be reached, a retry's backoff): it is taken as soon as it can be, not
 * dropped. {@code dueAt} is when it was due, or when its retry is; {@code requestedGeneration} is the
 * {@code savepointGeneration} it serves, for a generation bump.
 */
public record SavepointDeferred(JobId jobId, TriggerReason reason, String why, RequestedBy requestedBy, Instant dueAt,
                                Long requestedGeneration) implements JobEvent {

    /** A savepoint that serves no generation bump. */
    public SavepointDeferred(JobId jobId, TriggerReason reason, String why, RequestedBy requestedBy, Instant dueAt) {
        this(jobId, reason, why, requestedBy, dueAt, null);
    }
}

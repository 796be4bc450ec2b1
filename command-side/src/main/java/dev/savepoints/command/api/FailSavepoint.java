package dev.savepoints.command.api;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Flink reports the savepoint of {@code triggerId} failed, or it did not finish in time ({@code timedOut}).
 * {@code lateWatchUntil}: Flink took the trigger of a timed-out savepoint, and its completion is still watched for
 * until then; null when nothing can complete late.
 */
public record FailSavepoint(@TargetAggregateIdentifier JobId jobId, String triggerId, String cause, boolean timedOut,
                            Instant lateWatchUntil) {

    public FailSavepoint(JobId jobId, String triggerId, String cause, boolean timedOut) {
        this(jobId, triggerId, cause, timedOut, null);
    }
}

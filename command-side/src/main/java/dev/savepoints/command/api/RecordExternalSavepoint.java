package dev.savepoints.command.api;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Flink lists a completed savepoint of the job that the service may not have taken (the Flink CLI or REST, as
 * the user's guide describes). {@code checkpointId} is Flink's id of it within {@code flinkJobId}.
 */
public record RecordExternalSavepoint(@TargetAggregateIdentifier JobId jobId, String flinkJobId, long checkpointId,
                                      String location, Instant triggeredAt, Instant completedAt) {
}

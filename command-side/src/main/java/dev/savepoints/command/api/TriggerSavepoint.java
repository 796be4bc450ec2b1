package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Ask for a savepoint. {@code requestedGeneration} is the spec's savepointGeneration for {@link TriggerReason#GENERATION_BUMP}, otherwise null. */
public record TriggerSavepoint(@TargetAggregateIdentifier JobId jobId, TriggerReason reason, Long requestedGeneration, RequestedBy requestedBy) {
}

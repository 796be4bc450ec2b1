package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Let the retention policy decide about the savepoint {@code triggerId} again; answered with a {@link Decision}. */
public record UnpinSavepoint(@TargetAggregateIdentifier JobId jobId, String triggerId, RequestedBy requestedBy) {
}

package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Dispose of the completed savepoint {@code triggerId} now, by hand; answered with a {@link Decision}. */
public record DisposeSavepoint(@TargetAggregateIdentifier JobId jobId, String triggerId, RequestedBy requestedBy) {
}

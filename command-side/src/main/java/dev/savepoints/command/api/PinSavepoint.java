package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Keep the completed savepoint {@code triggerId} whatever the retention policy says; answered with a {@link Decision}. */
public record PinSavepoint(@TargetAggregateIdentifier JobId jobId, String triggerId, RequestedBy requestedBy) {
}

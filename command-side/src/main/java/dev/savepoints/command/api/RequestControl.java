package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A user control (the annotation's value, taken as given). {@code requestKey} identifies the request at its source (e.g. the annotation's managedFields time) so that a resync or a stale cache does not repeat it; may be null. */
public record RequestControl(@TargetAggregateIdentifier JobId jobId, String name, String requestKey, RequestedBy requestedBy) {
}

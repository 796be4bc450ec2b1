package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The FlinkCluster was deleted: stop managing its job. {@code uid} guards against deleting a newer incarnation. */
public record DeregisterJob(@TargetAggregateIdentifier JobId jobId, String uid, RequestedBy requestedBy) {
}

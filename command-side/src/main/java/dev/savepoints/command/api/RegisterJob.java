package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Start managing the job of a FlinkCluster (or take a re-created one as a new incarnation). {@code uid} is the resource's metadata.uid. */
public record RegisterJob(@TargetAggregateIdentifier JobId jobId, String uid, JobSettings settings, RequestedBy requestedBy) {
}

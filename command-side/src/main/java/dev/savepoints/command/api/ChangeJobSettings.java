package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The FlinkCluster's job spec changed. */
public record ChangeJobSettings(@TargetAggregateIdentifier JobId jobId, JobSettings settings, RequestedBy requestedBy) {
}

package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Flink refused to cancel the job of control {@code controlId} for good (not a passing outage). */
public record FailJobCancel(@TargetAggregateIdentifier JobId jobId, String controlId, String cause) {
}

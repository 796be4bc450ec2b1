package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The job could not be submitted to Flink. */
public record FailJobSubmission(@TargetAggregateIdentifier JobId jobId, String cause) {
}

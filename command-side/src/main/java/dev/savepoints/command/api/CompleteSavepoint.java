package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Flink reports the savepoint of {@code triggerId} written to {@code location}. */
public record CompleteSavepoint(@TargetAggregateIdentifier JobId jobId, String triggerId, String location) {
}

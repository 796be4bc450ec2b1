package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Flink reports the savepoint of {@code triggerId} failed, or it did not finish in time ({@code timedOut}). */
public record FailSavepoint(@TargetAggregateIdentifier JobId jobId, String triggerId, String cause, boolean timedOut) {
}

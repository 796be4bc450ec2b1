package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Disposal attempt {@code attempt} of savepoint {@code triggerId} did not remove its files, for {@code cause}. */
public record FailSavepointDisposal(@TargetAggregateIdentifier JobId jobId, String triggerId, int attempt,
                                    String cause) {
}

package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The files of savepoint {@code triggerId} are gone, after disposal attempt {@code attempt}. */
public record RecordSavepointDisposed(@TargetAggregateIdentifier JobId jobId, String triggerId, int attempt,
                                      DisposalMethod method) {
}

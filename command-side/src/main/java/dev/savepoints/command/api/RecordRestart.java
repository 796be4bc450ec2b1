package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The job was resubmitted from {@code savepointLocation} as {@code flinkJobId}. */
public record RecordRestart(@TargetAggregateIdentifier JobId jobId, String flinkJobId, String savepointLocation) {
}

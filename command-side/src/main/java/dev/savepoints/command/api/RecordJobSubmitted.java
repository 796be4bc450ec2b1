package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Flink accepted the job's submission (initial, not a restart) and gave it {@code flinkJobId}. */
public record RecordJobSubmitted(@TargetAggregateIdentifier JobId jobId, String flinkJobId) {
}

package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The state Flink reports for {@code flinkJobId}; {@code cause} is the root cause of a failure. */
public record ReportJobState(@TargetAggregateIdentifier JobId jobId, String flinkJobId, JobState state, String cause) {
}

package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The JobManager of {@code flinkJobId} answered the observer again. */
public record ReportJobManagerReachable(@TargetAggregateIdentifier JobId jobId, String flinkJobId) {
}

package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The bridge saw the objects of the job's Flink cluster in these states (sent again on each change it sees). */
public record ReportClusterComponents(@TargetAggregateIdentifier JobId jobId, String uid, ClusterComponents components) {
}

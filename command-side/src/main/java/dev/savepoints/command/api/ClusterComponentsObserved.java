package dev.savepoints.command.api;

/** The objects of the job's Flink cluster changed state: an object was created, became ready, or lost pods. */
public record ClusterComponentsObserved(JobId jobId, ClusterComponents components) implements JobEvent {
}

package dev.savepoints.command.api;

import dev.savepoints.command.api.status.ComponentState;

/**
 * One object of the Flink cluster the service created for a FlinkCluster, as Kubernetes shows it: its name, its
 * state, and for the JobManager and the TaskManagers how many pods it asks for and how many are ready.
 */
public record ClusterComponent(String name, ComponentState state, Integer replicas, Integer readyReplicas) {

    public static ClusterComponent of(String name, ComponentState state) {
        return new ClusterComponent(name, state, null, null);
    }

    public boolean ready() {
        return state == ComponentState.READY;
    }
}

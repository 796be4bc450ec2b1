package dev.savepoints.command.api;

import java.util.stream.Stream;

/** The objects of the Flink cluster the service created for a FlinkCluster ({@code status.components}). */
public record ClusterComponents(ClusterComponent configMap, ClusterComponent jobManager,
                                ClusterComponent jobManagerService, ClusterComponent taskManager) {

    /** Every object exists and each of its pods is ready. */
    public boolean ready() {
        return Stream.of(configMap, jobManager, jobManagerService, taskManager)
                .allMatch(component -> component != null && component.ready());
    }
}

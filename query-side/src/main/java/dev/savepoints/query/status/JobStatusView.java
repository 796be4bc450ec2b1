package dev.savepoints.query.status;

import java.time.Instant;

/** The status of a FlinkCluster's job as the REST API returns it; states use the CR status wording. */
public record JobStatusView(
        String namespace,
        String name,
        String uid,
        int incarnation,
        boolean registered,
        String flinkJobId,
        String state,
        long savepointGeneration,
        String savepointLocation,
        String lastSavepointTriggerId,
        Instant lastSavepointTime,
        String fromSavepoint,
        int restartCount,
        String failureCause,
        String controlName,
        String controlState,
        String controlMessage,
        Instant registeredAt,
        Instant updatedAt) {
}

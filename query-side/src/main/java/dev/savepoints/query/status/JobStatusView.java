package dev.savepoints.query.status;

import java.time.Instant;

/**
 * The status of a FlinkCluster's job as the REST API returns it: the facts and words of the CR status (see
 * docs/api.md), as the SQL view {@code savepoints.job_status} has them too; and how stale its latest savepoint is
 * ({@link Staleness} as of the read: its verdict, and since when its state has been at risk), with its savepoint
 * failures in a row.
 */
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
        String savepointRequestTriggerId,
        String savepointRequestReason,
        String savepointRequestState,
        String savepointRequestMessage,
        Instant savepointRequestTime,
        String controlName,
        String controlState,
        String controlMessage,
        String controlSavepointTriggerId,
        Instant controlTime,
        String jobManagerState,
        String jobManagerMessage,
        Instant jobManagerSince,
        String clusterState,
        boolean finalSavepoint,
        Instant deployTime,
        Instant startTime,
        Instant completionTime,
        Instant registeredAt,
        Instant updatedAt,
        Integer jobManagerReplicas,
        Integer jobManagerReadyReplicas,
        Integer taskManagerReplicas,
        Integer taskManagerReadyReplicas,
        String staleness,
        Instant savepointAgeFrom,
        Integer savepointIntervalSeconds,
        int consecutiveFailures) {
}

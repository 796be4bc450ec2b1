package dev.savepoints.command.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The FlinkCluster was deleted: stop managing its job. {@code uid} guards against deleting a newer incarnation.
 * {@code disposeSavepoints} is what the deleted resource asked for its savepoints (null: what its retention policy
 * said before, keep by default).
 */
public record DeregisterJob(@TargetAggregateIdentifier JobId jobId, String uid, RequestedBy requestedBy,
                            Boolean disposeSavepoints) {

    public DeregisterJob(JobId jobId, String uid, RequestedBy requestedBy) {
        this(jobId, uid, requestedBy, null);
    }
}

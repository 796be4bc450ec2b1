package dev.savepoints.command.api;

import java.util.Optional;

/**
 * Submits a job from inside its Flink cluster, for a jar the service cannot read itself (one in the Flink image):
 * the Kubernetes bridge runs {@code flink run} there as a Kubernetes Job, as the upstream operator does. The Flink
 * gateway asks it before uploading a jar. Each call looks at the submission of {@code flinkJobId}, starting it when
 * there is none yet, so a caller asks again until it has ended.
 */
public interface ClusterSubmitter {

    /** Never submits: for a service without the Kubernetes bridge. */
    ClusterSubmitter NONE = (job, artifact, flinkJobId, savepointPath, allowNonRestoredState) -> Optional.empty();

    /**
     * Why the job cannot be submitted to the Flink cluster the service created for it yet: an object of it is not as
     * declared yet (a change waits for the job to stop, then is rolled out), or its JobManager's pods are not ready.
     * Empty when it can, and for a cluster the service did not create.
     */
    default Optional<String> notReady(JobId job) {
        return Optional.empty();
    }

    /** Empty when the job's Flink cluster is not one the service created: there is nothing to submit from. */
    Optional<ClusterSubmission> submit(JobId job, JobArtifact artifact, String flinkJobId, String savepointPath,
                                       boolean allowNonRestoredState);
}

package dev.savepoints.command.api;

import java.util.Objects;

/**
 * What a job runs, as far as an upgrade is concerned: the jar with its class, arguments and parallelism
 * ({@code artifact}), whether state may be left unrestored, the JobManager it runs at (null: the service's
 * default address for the cluster), and the revision of the Flink cluster the service created for it (null: none).
 */
public record JobVersion(JobArtifact artifact, boolean allowNonRestoredState, String jobManagerUrl,
                         String clusterRevision) {

    public JobVersion(JobArtifact artifact, boolean allowNonRestoredState, String jobManagerUrl) {
        this(artifact, allowNonRestoredState, jobManagerUrl, null);
    }

    /** The version the spec asks for. */
    public static JobVersion of(JobSettings settings) {
        return new JobVersion(settings.artifact(), settings.allowNonRestoredState(), settings.jobManagerUrl(),
                settings.clusterRevision());
    }

    /** Whether it runs at another JobManager than {@code other}. */
    public boolean movesFrom(JobVersion other) {
        return !Objects.equals(jobManagerUrl, other.jobManagerUrl);
    }

    /**
     * " at the JobManager …" where it runs at another JobManager than {@code other}, " on its Flink cluster as now
     * declared" where that cluster changes; else nothing.
     */
    public String whereMovedFrom(JobVersion other) {
        String cluster = Objects.equals(clusterRevision, other.clusterRevision) ? ""
                : " on its Flink cluster as now declared (its pods are replaced while the job is stopped)";
        return (!movesFrom(other) ? ""
                : " at the JobManager " + (jobManagerUrl == null ? "of the default address" : jobManagerUrl)) + cluster;
    }
}

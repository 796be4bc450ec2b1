package dev.savepoints.command.api;

import java.util.Objects;

/**
 * What a job runs, as far as an upgrade is concerned: the jar with its class, arguments and parallelism
 * ({@code artifact}), whether state may be left unrestored, and the JobManager it runs at (null: the service's
 * default address for the cluster).
 */
public record JobVersion(JobArtifact artifact, boolean allowNonRestoredState, String jobManagerUrl) {

    /** The version the spec asks for. */
    public static JobVersion of(JobSettings settings) {
        return new JobVersion(settings.artifact(), settings.allowNonRestoredState(), settings.jobManagerUrl());
    }

    /** Whether it runs at another JobManager than {@code other}. */
    public boolean movesFrom(JobVersion other) {
        return !Objects.equals(jobManagerUrl, other.jobManagerUrl);
    }

    /** " at the JobManager …" where it runs at another JobManager than {@code other}; else nothing. */
    public String whereMovedFrom(JobVersion other) {
        return !movesFrom(other) ? ""
                : " at the JobManager " + (jobManagerUrl == null ? "of the default address" : jobManagerUrl);
    }
}

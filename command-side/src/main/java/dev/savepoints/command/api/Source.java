package dev.savepoints.command.api;

/** Where a request entered the service. */
public enum Source {
    /** A change of the FlinkCluster spec (created, edited, savepointGeneration bumped, deleted). */
    KUBERNETES_SPEC,
    /** The {@code flinkclusters.flinkoperator.k8s.io/user-control} annotation. */
    KUBERNETES_ANNOTATION,
    /** The service's own REST API. */
    REST,
    /** The automatic savepoint schedule. */
    SCHEDULE,
    /** A fact reported by Flink (job state, savepoint result). */
    FLINK,
    /** The restart-on-failure policy. */
    FAILURE_HANDLING,
    /** The savepoint retention policy. */
    RETENTION_POLICY
}

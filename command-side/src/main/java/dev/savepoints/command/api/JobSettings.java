package dev.savepoints.command.api;

/**
 * The savepoint-related part of {@code spec.job}, as the user declared it. Values are taken as given;
 * the FlinkJob aggregate decides whether they are acceptable.
 *
 * @param autoSavepointSeconds        interval of automatic savepoints; null or 0 means none
 * @param maxStateAgeToRestoreSeconds the oldest savepoint a restart on failure may use; null means any age
 * @param jobManagerUrl               the JobManager REST API of this cluster, when not the service's default address
 * @param clusterRevision             what the Flink cluster the service created for the job is declared to be (a
 *                                    hash of its pods and configuration); null when it created none. A new one for a
 *                                    running job is an upgrade: its pods change only once the job is stopped
 * @param retention                   how long its savepoints are kept; null: the service's defaults
 */
public record JobSettings(
        String savepointsDir,
        Integer autoSavepointSeconds,
        RestartPolicy restartPolicy,
        String fromSavepoint,
        boolean allowNonRestoredState,
        SavepointFormatType savepointFormatType,
        Integer maxStateAgeToRestoreSeconds,
        boolean takeSavepointOnUpdate,
        JobArtifact artifact,
        String jobManagerUrl,
        String clusterRevision,
        RetentionPolicy retention) {

    /** Settings without a retention policy of their own: the service's defaults apply. */
    public JobSettings(String savepointsDir, Integer autoSavepointSeconds, RestartPolicy restartPolicy,
                       String fromSavepoint, boolean allowNonRestoredState, SavepointFormatType savepointFormatType,
                       Integer maxStateAgeToRestoreSeconds, boolean takeSavepointOnUpdate, JobArtifact artifact,
                       String jobManagerUrl, String clusterRevision) {
        this(savepointsDir, autoSavepointSeconds, restartPolicy, fromSavepoint, allowNonRestoredState,
                savepointFormatType, maxStateAgeToRestoreSeconds, takeSavepointOnUpdate, artifact, jobManagerUrl,
                clusterRevision, null);
    }

    /** Settings of a cluster whose JobManager is at the service's default address. */
    public JobSettings(String savepointsDir, Integer autoSavepointSeconds, RestartPolicy restartPolicy,
                       String fromSavepoint, boolean allowNonRestoredState, SavepointFormatType savepointFormatType,
                       Integer maxStateAgeToRestoreSeconds, boolean takeSavepointOnUpdate, JobArtifact artifact) {
        this(savepointsDir, autoSavepointSeconds, restartPolicy, fromSavepoint, allowNonRestoredState,
                savepointFormatType, maxStateAgeToRestoreSeconds, takeSavepointOnUpdate, artifact, null, null);
    }

    /** Settings of a cluster the service did not create. */
    public JobSettings(String savepointsDir, Integer autoSavepointSeconds, RestartPolicy restartPolicy,
                       String fromSavepoint, boolean allowNonRestoredState, SavepointFormatType savepointFormatType,
                       Integer maxStateAgeToRestoreSeconds, boolean takeSavepointOnUpdate, JobArtifact artifact,
                       String jobManagerUrl) {
        this(savepointsDir, autoSavepointSeconds, restartPolicy, fromSavepoint, allowNonRestoredState,
                savepointFormatType, maxStateAgeToRestoreSeconds, takeSavepointOnUpdate, artifact, jobManagerUrl, null);
    }

    public JobSettings {
        restartPolicy = restartPolicy == null ? RestartPolicy.NEVER : restartPolicy;
        savepointFormatType = savepointFormatType == null ? SavepointFormatType.CANONICAL : savepointFormatType;
    }

    /** What the job declares about retention, the service's defaults where it declares nothing. */
    public RetentionPolicy retentionOr(RetentionPolicy defaults) {
        return (retention == null ? RetentionPolicy.UNDECLARED : retention).orDefaults(defaults);
    }

    public boolean hasSavepointsDir() {
        return savepointsDir != null && !savepointsDir.isBlank();
    }

    public boolean automaticSavepoints() {
        return autoSavepointSeconds != null && autoSavepointSeconds > 0 && hasSavepointsDir();
    }
}

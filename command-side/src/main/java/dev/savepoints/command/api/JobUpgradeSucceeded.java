package dev.savepoints.command.api;

/** The new version runs as {@code flinkJobId}, started from {@code fromSavepoint}, and lasted its trial period. */
public record JobUpgradeSucceeded(JobId jobId, String upgradeId, String flinkJobId, String fromSavepoint)
        implements JobEvent {
}

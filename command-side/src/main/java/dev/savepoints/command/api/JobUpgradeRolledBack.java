package dev.savepoints.command.api;

/**
 * The new version failed ({@code cause}) before its trial period ended, as {@code failedFlinkJobId} or at its
 * submission: the previous version {@code restored} is started again from {@code savepoint}, the upgrade's. The spec's
 * version is not tried again until the spec changes.
 */
public record JobUpgradeRolledBack(JobId jobId, String upgradeId, String failedFlinkJobId, String cause,
                                   JobArtifact restored, String savepoint) implements JobEvent {
}

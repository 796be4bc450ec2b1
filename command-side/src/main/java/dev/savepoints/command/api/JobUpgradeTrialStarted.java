package dev.savepoints.command.api;

import java.time.Instant;

/**
 * The new version of an upgrade runs as {@code flinkJobId}; if it fails before {@code endsAt} the previous version is
 * started again from the upgrade's savepoint.
 */
public record JobUpgradeTrialStarted(JobId jobId, String upgradeId, String flinkJobId, Instant endsAt)
        implements JobEvent {
}

package dev.savepoints.command.api;

import java.time.Instant;

/** The upgrade could not stop the old version, for {@code why}: the old version runs on, and it is tried again at {@code retryAt}. */
public record JobUpgradeWaiting(JobId jobId, String upgradeId, String why, Instant retryAt) implements JobEvent {
}

package dev.savepoints.command.api;

/**
 * The job runs {@code from} and the spec asks for {@code to}: it is upgraded, by a stop with savepoint when
 * {@code takeSavepoint}, else by a cancel and a start from {@code fromSavepoint} (null: empty state, as the spec
 * asked). {@code fromAllowNonRestoredState} is how {@code from} ran, for a rollback. {@code upgradeId} ties the steps
 * together; {@code requestedBy} changed the spec.
 */
public record JobUpgradeStarted(JobId jobId, String upgradeId, JobArtifact from, boolean fromAllowNonRestoredState,
                                JobArtifact to, boolean takeSavepoint, String fromSavepoint, RequestedBy requestedBy)
        implements JobEvent {
}

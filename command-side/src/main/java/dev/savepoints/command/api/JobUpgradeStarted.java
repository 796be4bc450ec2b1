package dev.savepoints.command.api;

/**
 * The job runs {@code from} and the spec asks for {@code to}: it is upgraded, by a stop with savepoint when
 * {@code takeSavepoint}, else by a cancel and a start from {@code fromSavepoint} (null: empty state, as the spec
 * asked). {@code from} is kept for a rollback; where the two name other JobManagers, the old version is stopped at
 * its own and the new one submitted at the other. {@code upgradeId} ties the steps together; {@code requestedBy}
 * changed the spec.
 */
public record JobUpgradeStarted(JobId jobId, String upgradeId, JobVersion from, JobVersion to, boolean takeSavepoint,
                                String fromSavepoint, RequestedBy requestedBy) implements JobEvent {
}

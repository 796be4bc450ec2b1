package dev.savepoints.command.api;

/**
 * The service calls the JobManager at {@code jobManagerUrl} (null: the service's default address for the cluster)
 * for this job from now on. A spec that names another JobManager sets it at once ({@link JobSettingsChanged});
 * this event says where it differs: a job running at the old address stays called there until an upgrade has
 * stopped it, then its new version is submitted at the new one (and a rollback goes back to the old).
 */
public record JobManagerAddressSet(JobId jobId, String jobManagerUrl) implements JobEvent {
}

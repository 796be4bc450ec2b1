package dev.savepoints.flink;

import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.flink.rest.DisposalStatus;
import dev.savepoints.flink.rest.FlinkCallFailed;
import dev.savepoints.flink.rest.SavepointStatus;

/**
 * Everything the service asks of Flink, per managed job. Implementations find the job's JobManager; callers never
 * see a Flink URL. Failures are {@link FlinkCallFailed} (with whether a retry can help) or {@link JarUnavailable}.
 */
public interface FlinkGateway {

    /** Starts the savepoint, or the stop with savepoint; calling again with the same trigger id starts nothing new. */
    void triggerSavepoint(JobId job, String flinkJobId, String targetDirectory, SavepointFormatType format,
                          String triggerId, boolean stopJob);

    SavepointStatus savepointStatus(JobId job, String flinkJobId, String triggerId);

    /** The job's state on Flink in the service's terms and, while it runs, the savepoints Flink lists for it. */
    Observation observe(JobId job, String flinkJobId);

    /**
     * Runs the job's jar as Flink job {@code flinkJobId} (chosen by the caller, so a retry cannot start it twice),
     * from {@code savepointPath} when set; uploads the jar first unless the JobManager holds it already.
     */
    String submit(JobId job, JobArtifact artifact, String flinkJobId, String savepointPath, boolean allowNonRestoredState);

    void cancel(JobId job, String flinkJobId);

    /**
     * Starts the disposal of the savepoint at {@code location} at the job's JobManager, or at {@code jobManagerUrl}
     * when the job names its own (the job may be deregistered by then); returns Flink's request id.
     */
    String disposeSavepoint(JobId job, String jobManagerUrl, String location);

    DisposalStatus disposalStatus(JobId job, String jobManagerUrl, String requestId);
}

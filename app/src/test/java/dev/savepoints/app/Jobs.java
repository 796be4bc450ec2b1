package dev.savepoints.app;

import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.Source;
import org.axonframework.commandhandling.gateway.CommandGateway;

/** Brings a job to RUNNING through the same commands the bridge and the gateway send. */
public final class Jobs {

    public static final RequestedBy KUBECTL = new RequestedBy("kubectl-client-side-apply", Source.KUBERNETES_SPEC, null);
    public static final RequestedBy FLINK = RequestedBy.service(Source.FLINK);

    private Jobs() {
    }

    /**
     * Settings without a jar, as for a FlinkCluster whose job is submitted by someone else: the service then waits
     * for the job instead of submitting it, so {@link #running} is not raced by a submission of its own.
     */
    public static JobSettings settings(Integer autoSavepointSeconds) {
        return new JobSettings("file:///tmp/savepoints", autoSavepointSeconds, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE,
                null, false, SavepointFormatType.CANONICAL, null, false, null);
    }

    public static void running(CommandGateway commands, JobId job, String flinkJobId, JobSettings settings) {
        commands.sendAndWait(new RegisterJob(job, "uid-" + job.name(), settings, KUBECTL));
        commands.sendAndWait(new RecordJobSubmitted(job, flinkJobId));
        commands.sendAndWait(new ReportJobState(job, flinkJobId, JobState.RUNNING, null));
    }
}

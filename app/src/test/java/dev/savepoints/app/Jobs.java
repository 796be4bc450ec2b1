package dev.savepoints.app;

import dev.savepoints.command.api.JobArtifact;
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
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;

/** Brings a job to RUNNING through the same commands the bridge and the gateway send. */
public final class Jobs {

    public static final RequestedBy KUBECTL = new RequestedBy("kubectl-client-side-apply", Source.KUBERNETES_SPEC, null);
    public static final RequestedBy FLINK = RequestedBy.service(Source.FLINK);

    private Jobs() {
    }

    public static JobSettings settings(Integer autoSavepointSeconds) {
        return new JobSettings("file:///tmp/savepoints", autoSavepointSeconds, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE,
                null, false, SavepointFormatType.CANONICAL, null, false,
                new JobArtifact("/opt/flink/usrlib/counter.jar", "org.example.Counter", List.of("--rate", "5"), 1));
    }

    public static void running(CommandGateway commands, JobId job, String flinkJobId, JobSettings settings) {
        commands.sendAndWait(new RegisterJob(job, "uid-" + job.name(), settings, KUBECTL));
        commands.sendAndWait(new RecordJobSubmitted(job, flinkJobId));
        commands.sendAndWait(new ReportJobState(job, flinkJobId, JobState.RUNNING, null));
    }
}

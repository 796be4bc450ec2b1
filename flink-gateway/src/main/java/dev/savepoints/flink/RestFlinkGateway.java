package dev.savepoints.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.command.api.ClusterSubmission;
import dev.savepoints.command.api.ClusterSubmitter;
import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.flink.rest.DisposalStatus;
import dev.savepoints.flink.rest.FlinkCallFailed;
import dev.savepoints.flink.rest.FlinkRestClient;
import dev.savepoints.flink.rest.JarRun;
import dev.savepoints.flink.rest.FlinkSavepoint;
import dev.savepoints.flink.rest.JobStatus;
import dev.savepoints.flink.rest.SavepointStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link FlinkGateway} over the JobManager REST API of each job's cluster. */
public class RestFlinkGateway implements FlinkGateway {

    private static final Logger log = LoggerFactory.getLogger(RestFlinkGateway.class);

    private final Function<JobId, URI> jobManagers;
    private final BiFunction<JobId, String, URI> declaredJobManagers;
    private final ClusterSubmitter inCluster;
    private final JarStore jars;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration requestTimeout;

    /**
     * @param jobManagers         where the JobManager REST API of a job is
     * @param declaredJobManagers where it is for a job that declared {@code jobManagerUrl} (null: none)
     */
    public RestFlinkGateway(Function<JobId, URI> jobManagers, BiFunction<JobId, String, URI> declaredJobManagers,
                            JarStore jars, HttpClient http, ObjectMapper json, Duration requestTimeout,
                            ClusterSubmitter inCluster) {
        this.jobManagers = jobManagers;
        this.declaredJobManagers = declaredJobManagers;
        this.inCluster = inCluster;
        this.jars = jars;
        this.http = http;
        this.json = json;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public void triggerSavepoint(JobId job, String flinkJobId, String targetDirectory, SavepointFormatType format,
                                 String triggerId, boolean stopJob) {
        FlinkRestClient client = client(job);
        if (stopJob) {
            client.stopWithSavepoint(flinkJobId, targetDirectory, format.name(), triggerId);
        } else {
            client.triggerSavepoint(flinkJobId, targetDirectory, format.name(), triggerId);
        }
    }

    @Override
    public SavepointStatus savepointStatus(JobId job, String flinkJobId, String triggerId) {
        return client(job).savepointStatus(flinkJobId, triggerId);
    }

    @Override
    public Observation observe(JobId job, String flinkJobId) {
        FlinkRestClient client = client(job);
        JobStatus status;
        try {
            status = client.job(flinkJobId);
        } catch (FlinkCallFailed e) {
            if (e.kind() == FlinkCallFailed.Kind.NOT_FOUND) {
                return new Observation(JobState.LOST, "the JobManager at " + client.base() + " does not know job " + flinkJobId);
            }
            throw e;
        }
        JobState state = FlinkStates.of(status.state());
        if (state == JobState.RUNNING && !status.tasksRunning()) {
            return Observation.of(JobState.DEPLOYING); // savepoints are refused until every task runs
        }
        if (state == JobState.FAILED) {
            return new Observation(state, client.rootCause(flinkJobId));
        }
        if (state == JobState.RUNNING) {
            return new Observation(state, null, savepointsOrNone(client, flinkJobId));
        }
        return new Observation(state, null);
    }

    /** The state is worth reporting even when the checkpoint history cannot be read: it is read again next time. */
    private static List<FlinkSavepoint> savepointsOrNone(FlinkRestClient client, String flinkJobId) {
        try {
            return client.completedSavepoints(flinkJobId);
        } catch (FlinkCallFailed e) {
            log.debug("Savepoints of Flink job {} not read: {}", flinkJobId, e.getMessage());
            return List.of();
        }
    }

    /**
     * {@inheritDoc} Waits (a {@link FlinkCallFailed.Kind#NOT_READY} failure) while the Flink cluster the service created
     * for the job is not as declared or its JobManager is not ready. A jar the service cannot read (a path in the Flink image) is submitted from inside a Flink cluster
     * the service created ({@link ClusterSubmitter}): the call then says whether that submission has ended, and is
     * made again until it has (a {@link FlinkCallFailed.Kind#PENDING} failure).
     */
    @Override
    public String submit(JobId job, JobArtifact artifact, String flinkJobId, String savepointPath,
                         boolean allowNonRestoredState) {
        Optional<String> waiting = inCluster.notReady(job);
        if (waiting.isPresent()) { // a created cluster that is not as declared yet would take the job to old pods
            throw new FlinkCallFailed(FlinkCallFailed.Kind.NOT_READY, 0, waiting.get(), null);
        }
        if (!JarStore.readable(artifact.jarFile())) {
            Optional<ClusterSubmission> submission = inCluster.submit(job, artifact, flinkJobId, savepointPath,
                    allowNonRestoredState);
            if (submission.isPresent()) {
                return switch (submission.get().outcome()) {
                    case SUBMITTED -> flinkJobId;
                    case RUNNING -> throw new FlinkCallFailed(FlinkCallFailed.Kind.PENDING, 0, submission.get().message(), null);
                    case FAILED -> throw new FlinkCallFailed(FlinkCallFailed.Kind.REJECTED, 0, submission.get().message(), null);
                };
            }
        }
        FlinkRestClient client = client(job);
        JarRun run = new JarRun(artifact.entryClass(), artifact.args(), artifact.parallelism(), flinkJobId, savepointPath,
                allowNonRestoredState);
        String jarId = jars.ensureUploaded(client, artifact.jarFile());
        try {
            return client.runJar(jarId, run);
        } catch (FlinkCallFailed e) {
            if (alreadyRunning(client, flinkJobId)) {
                return flinkJobId; // an earlier try got through; its answer was lost
            }
            if (e.kind() == FlinkCallFailed.Kind.NOT_FOUND) {
                return client.runJar(jars.ensureUploaded(client, artifact.jarFile()), run); // the jar vanished meanwhile
            }
            throw e;
        }
    }

    @Override
    public void cancel(JobId job, String flinkJobId) {
        client(job).cancel(flinkJobId);
    }

    private static boolean alreadyRunning(FlinkRestClient client, String flinkJobId) {
        if (flinkJobId == null) {
            return false;
        }
        try {
            client.job(flinkJobId);
            return true;
        } catch (FlinkCallFailed e) {
            return false;
        }
    }

    @Override
    public String disposeSavepoint(JobId job, String jobManagerUrl, String location) {
        return declaredClient(job, jobManagerUrl).disposeSavepoint(location);
    }

    @Override
    public DisposalStatus disposalStatus(JobId job, String jobManagerUrl, String requestId) {
        return declaredClient(job, jobManagerUrl).disposalStatus(requestId);
    }

    private FlinkRestClient declaredClient(JobId job, String jobManagerUrl) {
        return new FlinkRestClient(declaredJobManagers.apply(job, jobManagerUrl), http, json, requestTimeout);
    }

    private FlinkRestClient client(JobId job) {
        return new FlinkRestClient(jobManagers.apply(job), http, json, requestTimeout);
    }
}

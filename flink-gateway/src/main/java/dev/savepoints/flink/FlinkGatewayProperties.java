package dev.savepoints.flink;

import dev.savepoints.command.api.Backoff;
import dev.savepoints.command.api.JobManagerHosts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Flink gateway ({@code savepoints.flink.*}).
 *
 * @param jobManagerUrlTemplate the JobManager REST address of a FlinkCluster; {@code {name}} and {@code {namespace}}
 *                              are replaced by the resource's (the Service the user's guide port-forwards to)
 * @param jobManagerHosts       the hosts a FlinkCluster's own JobManager address (annotation
 *                              {@code savepoints.dev/jobmanager-url}) may name, besides the template's host (see
 *                              {@link JobManagerHosts} for the forms); default: the cluster's own service names
 * @param requestTimeout        the longest any one Flink REST call may take
 * @param savepointTimeout      a savepoint not finished by then is failed as timed out
 * @param lateWatch             how long a timed-out savepoint is still watched, so that a late completion is recorded
 * @param cancelTimeout         a job-cancel without savepoint whose job has not ended by then (Flink could not take the
 *                              cancel, or took it and the job did not end) fails its control
 * @param pollInitial           the shortest wait of the saga's persisted polls of a savepoint; then a quarter of the time it
 *                              has taken so far, up to {@code pollMax}
 * @param pollMax               the longest wait between two such polls
 * @param watchInitial          the first wait of the in-memory polls of a savepoint just triggered; then an eighth of the
 *                              time it has taken so far
 * @param watchWindow           how long a savepoint is polled in memory; after that only the saga's polls go on
 * @param watchCapacity         at most this many savepoints are polled in memory at once; 0 turns those polls off
 * @param retryInitial          first wait before retrying a call Flink could not take (unreachable, 503, timeout);
 *                              doubles up to {@code retryMax}
 * @param retryMax              the longest wait between two retries
 * @param observeInterval       how often the state of every managed Flink job is read
 * @param observeParallelism    how many jobs are read at a time
 * @param jarCacheDirectory     where jars given as http(s) URLs are downloaded to
 * @param unreachableAfterRounds after this many observer rounds in a row without an answer from a job's JobManager,
 *                              the job's state is shown as Unknown and the JobManager as not ready
 * @param clusterWait           how long a submission waits for the Flink cluster the service created for the job to
 *                              be as declared with its JobManager ready (a new image rolling out, say); then it fails
 * @param disposalTimeout       a savepoint disposal Flink has not finished by then counts as failed (and is tried again)
 * @param localDisposal         whether the service deletes a {@code file:} savepoint it can see itself when no
 *                              JobManager takes its disposal
 */
@ConfigurationProperties("savepoints.flink")
public record FlinkGatewayProperties(
        String jobManagerUrlTemplate,
        List<String> jobManagerHosts,
        Duration requestTimeout,
        Duration savepointTimeout,
        Duration lateWatch,
        Duration cancelTimeout,
        Duration pollInitial,
        Duration pollMax,
        Duration watchInitial,
        Duration watchWindow,
        Integer watchCapacity,
        Duration retryInitial,
        Duration retryMax,
        Duration observeInterval,
        Integer observeParallelism,
        Path jarCacheDirectory,
        Integer unreachableAfterRounds,
        Duration clusterWait,
        Duration disposalTimeout,
        Boolean localDisposal) {

    public static final String DEFAULT_TEMPLATE = "http://{name}-jobmanager.{namespace}.svc:8081";

    public FlinkGatewayProperties {
        jobManagerUrlTemplate = jobManagerUrlTemplate == null || jobManagerUrlTemplate.isBlank()
                ? DEFAULT_TEMPLATE : jobManagerUrlTemplate;
        jobManagerHosts = jobManagerHosts == null ? JobManagerHosts.CLUSTER_SERVICES : List.copyOf(jobManagerHosts);
        requestTimeout = orDefault(requestTimeout, Duration.ofSeconds(10));
        savepointTimeout = orDefault(savepointTimeout, Duration.ofMinutes(10));
        lateWatch = orDefault(lateWatch, savepointTimeout);
        cancelTimeout = orDefault(cancelTimeout, savepointTimeout);
        pollInitial = orDefault(pollInitial, Duration.ofSeconds(1));
        pollMax = orDefault(pollMax, Duration.ofSeconds(5));
        watchInitial = orDefault(watchInitial, Duration.ofMillis(10));
        watchWindow = orDefault(watchWindow, Duration.ofSeconds(30));
        watchCapacity = watchCapacity == null ? 200 : watchCapacity;
        if (watchCapacity < 0) {
            throw new IllegalArgumentException("savepoints.flink.watch-capacity must not be negative, was " + watchCapacity);
        }
        retryInitial = orDefault(retryInitial, Duration.ofSeconds(1));
        retryMax = orDefault(retryMax, Duration.ofSeconds(30));
        observeInterval = orDefault(observeInterval, Duration.ofSeconds(5));
        observeParallelism = observeParallelism == null ? 8 : observeParallelism;
        if (observeParallelism < 1) {
            throw new IllegalArgumentException("savepoints.flink.observe-parallelism must be at least 1, was " + observeParallelism);
        }
        unreachableAfterRounds = unreachableAfterRounds == null ? 3 : unreachableAfterRounds;
        if (unreachableAfterRounds < 1) {
            throw new IllegalArgumentException("savepoints.flink.unreachable-after-rounds must be at least 1, was "
                    + unreachableAfterRounds);
        }
        clusterWait = orDefault(clusterWait, Duration.ofMinutes(10));
        disposalTimeout = orDefault(disposalTimeout, Duration.ofMinutes(5));
        localDisposal = localDisposal == null || localDisposal;
        jarCacheDirectory = jarCacheDirectory == null
                ? Path.of(System.getProperty("java.io.tmpdir"), "savepoint-orchestrator-jars") : jarCacheDirectory;
    }

    public static FlinkGatewayProperties defaults() {
        return new FlinkGatewayProperties(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    /** The policy the job's settings rules check a JobManager address against. */
    public JobManagerHosts jobManagerHostPolicy() {
        return JobManagerHosts.of(jobManagerHosts, jobManagerUrlTemplate);
    }

    public Backoff retries() {
        return new Backoff(retryInitial, retryMax);
    }

    private static Duration orDefault(Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("savepoints.flink durations must be positive, was " + value);
        }
        return value;
    }
}

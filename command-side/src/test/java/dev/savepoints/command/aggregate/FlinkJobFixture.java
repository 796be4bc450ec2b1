package dev.savepoints.command.aggregate;

import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobManagerHosts;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RetentionPolicy;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.config.CommandSideProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.TestExecutor;

/** Shared vocabulary of the FlinkJob tests: a job, its settings, and the events of its usual life. */
final class FlinkJobFixture {

    /**
     * The simulated time. It lies ahead of the real clock because Axon's fixture does not set the message clock
     * for deadline handlers; FlinkJob then takes a deadline's due time, which keeps every expectation exact.
     */
    static final Instant T0 = Instant.parse("2100-01-01T00:00:00Z");
    static final JobId JOB = JobId.of("default", "flinkjobcluster-sample");
    static final String UID = "0b5e3a8e-0000-4000-8000-000000000001";
    static final String FLINK_JOB = "c0c55ce62eba6ab41b6bb9288ef79c12";
    static final String DIR = "gs://my-bucket/savepoints/";
    static final JobArtifact ARTIFACT = new JobArtifact("/opt/flink/job.jar", "org.example.Counter", List.of("--rate", "10"), 1);
    static final RequestedBy KUBECTL = new RequestedBy("kubectl-client-side-apply", Source.KUBERNETES_SPEC, null);
    static final RequestedBy ANNOTATOR = new RequestedBy("kubectl-annotate", Source.KUBERNETES_ANNOTATION, null);
    static final RequestedBy REST_USER = new RequestedBy("alice", Source.REST, null);
    static final RequestedBy SCHEDULE = RequestedBy.service(Source.SCHEDULE);
    static final CommandSideProperties PROPERTIES = CommandSideProperties.defaults();
    /** Keeps every savepoint: the retention policy's decisions are RetentionTest's, not the other tests'. */
    static final RetentionPolicy KEEP_ALL = new RetentionPolicy(0, 0, false, false, List.of());
    /** What the aggregate decides by: the service's defaults, but for retention. */
    static final JobPolicy POLICY = withRetention(PROPERTIES.jobPolicy(), KEEP_ALL);
    /** The service's default: the cluster's own service names and the default template's host. */
    static final JobManagerHosts HOSTS = JobManagerHosts.of(JobManagerHosts.CLUSTER_SERVICES,
            "http://{name}-jobmanager.{namespace}.svc:8081");

    private FlinkJobFixture() {
    }

    static JobPolicy withRetention(JobPolicy policy, RetentionPolicy retention) {
        return new JobPolicy(policy.scheduledRetryInterval(), policy.restartBackoff(), policy.requestRetries(),
                policy.requestAttempts(), policy.upgradeTrialPeriod(), retention, policy.disposalRetries());
    }

    static AggregateTestFixture<FlinkJob> newFixture() {
        return newFixture(POLICY);
    }

    /** A fixture whose aggregate decides by {@code policy}, as the service's by the configured one. */
    static AggregateTestFixture<FlinkJob> newFixture(JobPolicy policy) {
        AggregateTestFixture<FlinkJob> fixture = new AggregateTestFixture<>(FlinkJob.class);
        fixture.registerInjectableResource(policy);
        fixture.registerInjectableResource(HOSTS);
        AtomicInteger counter = new AtomicInteger();
        fixture.registerInjectableResource((TriggerIds) () -> "id-" + counter.incrementAndGet());
        return fixture;
    }

    static TestExecutor<FlinkJob> at(AggregateTestFixture<FlinkJob> fixture, Object... events) {
        return fixture.givenCurrentTime(T0).andGiven(List.of(events));
    }

    static JobSettings settings(Integer autoSavepointSeconds, RestartPolicy policy) {
        return new JobSettings(DIR, autoSavepointSeconds, policy, null, false, SavepointFormatType.CANONICAL, null,
                false, ARTIFACT);
    }

    static JobSettings plainSettings() {
        return settings(null, RestartPolicy.NEVER);
    }

    static JobSettings withoutDir() {
        return new JobSettings(null, null, RestartPolicy.NEVER, null, false, null, null, false, ARTIFACT);
    }

    static JobRegistered registered(JobSettings settings) {
        return new JobRegistered(JOB, UID, 1, settings, KUBECTL);
    }

    /** A registered job that Flink runs as {@link #FLINK_JOB}. */
    static Object[] running(JobSettings settings) {
        return new Object[] {
                registered(settings),
                new JobSubmissionRequested(JOB, settings.artifact(), settings.fromSavepoint(), settings.allowNonRestoredState()),
                new JobSubmitted(JOB, FLINK_JOB, settings.fromSavepoint()),
                new JobStateChanged(JOB, FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING)
        };
    }

    static SavepointTriggered triggered(String triggerId, TriggerReason reason, RequestedBy by, Instant at) {
        return new SavepointTriggered(JOB, triggerId, FLINK_JOB, reason, DIR, SavepointFormatType.CANONICAL, false, null,
                by, at);
    }

    static SavepointCompleted completed(String triggerId, TriggerReason reason, long generation, Instant triggeredAt,
                                        Instant completedAt) {
        return new SavepointCompleted(JOB, triggerId, FLINK_JOB, reason, generation, location(triggerId), triggeredAt,
                completedAt, false);
    }

    static String location(String triggerId) {
        return DIR + "savepoint-c0c55c-" + triggerId;
    }

    static Object[] concat(Object[] first, Object... rest) {
        Object[] all = new Object[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}

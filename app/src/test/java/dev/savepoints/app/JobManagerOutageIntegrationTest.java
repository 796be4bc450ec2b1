package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.test.FlinkTestCluster;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.model.JobSpec;
import io.fabric8.kubernetes.api.model.Event;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Flink stopped under a running job, and started again: the status, the Events and the gauge say that the
 * JobManager cannot be reached within the configured rounds, a savepoint due meanwhile waits, and when Flink is back
 * (not knowing the job any more) the job is Lost and restarted from its latest savepoint, counting on.
 */
class JobManagerOutageIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String NAME = "outage";

    @TempDir
    Path work;

    @Test
    void aJobManagerThatStopsAnsweringIsShownAndItsReturnToo() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path out = work.resolve("count");
        FlinkTestCluster flink = FlinkTestCluster.start(port);
        try (MockApiServer api = new MockApiServer();
             ServiceInstance service = ServiceInstance.startWeb(PostgresTestDatabase.newDatabase("jobmanager_outage"),
                     FlinkJobs.serviceOn(flink, "savepoints.k8s.enabled=true", "savepoints.k8s.master-url=" + api.masterUrl(),
                             "savepoints.flink.unreachable-after-rounds=3",
                             "savepoints.flink.request-timeout=2s",
                             // a savepoint in flight when Flink stops times out soon, and its retry falls due while
                             // the JobManager is away: the test sees a savepoint wait whenever Flink stops
                             "savepoints.flink.savepoint-timeout=5s",
                             "savepoints.command.scheduled-retry-interval=1s",
                             "savepoints.command.restart-backoff-initial=1s"))) {
            api.kubectl.resource(flinkCluster(out)).create();
            FlinkCluster saved = awaitCluster(api, c -> "Running".equals(job(c).getState())
                    && job(c).getSavepointGeneration() != null && job(c).getSavepointGeneration() >= 1);
            assertThat(jobManager(saved).getState()).isEqualTo("Ready");
            await().atMost(WAIT).until(() -> reachableGauge(service), value -> value == 1.0);

            flink.close();
            FlinkCluster unreachable = awaitCluster(api, c -> "Unknown".equals(job(c).getState()));
            assertThat(jobManager(unreachable).getState()).isEqualTo("NotReady");
            assertThat(jobManager(unreachable).getMessage()).contains("did not answer 3 observer rounds in a row");
            assertThat(unreachable.getStatus().getConditions()).singleElement().satisfies(condition -> {
                assertThat(condition.getType()).isEqualTo("JobManagerReachable");
                assertThat(condition.getStatus()).isEqualTo("False");
                assertThat(condition.getReason()).isEqualTo("JobManagerUnreachable");
            });
            await().atMost(WAIT).until(() -> reachableGauge(service), value -> value == 0.0);
            // the next automatic savepoint falls due while no one answers: it waits, and says why
            FlinkCluster waiting = awaitCluster(api, c -> c.getStatus().getSavepoint() != null
                    && "Waiting".equals(c.getStatus().getSavepoint().getState()));
            assertThat(waiting.getStatus().getSavepoint().getTriggerReason()).isEqualTo("scheduled");
            assertThat(waiting.getStatus().getSavepoint().getMessage()).contains("the JobManager cannot be reached");
            capture("jobmanager-unreachable", waiting, api);
            assertThat(reasons(api, "Warning")).as("said once, however many rounds go by")
                    .containsOnlyOnce("JobManagerUnreachable");
            String latest = job(waiting).getSavepointLocation();
            long counted = count(out);

            flink = FlinkTestCluster.start(port); // a new JobManager: it does not know the job
            FlinkCluster back = awaitCluster(api, c -> "Running".equals(job(c).getState())
                    && Integer.valueOf(1).equals(job(c).getRestartCount()));
            assertThat(jobManager(back).getState()).isEqualTo("Ready");
            assertThat(back.getStatus().getConditions()).singleElement()
                    .satisfies(condition -> assertThat(condition.getStatus()).isEqualTo("True"));
            assertThat(job(back).getFromSavepoint()).as("restarted from the savepoint taken before").isEqualTo(latest);
            await().atMost(WAIT).until(() -> count(out) > counted);
            await().atMost(WAIT).until(() -> reasons(api, "Normal").contains("JobManagerReachable"));
            assertThat(reasons(api, "Normal")).contains("RestartedFromSavepoint");
            await().atMost(WAIT).until(() -> reachableGauge(service), value -> value == 1.0);
            // the savepoint that waited is taken of the restarted job, not tried on the one the JobManager forgot
            String restarted = job(back).getId();
            awaitCluster(api, c -> c.getStatus().getSavepoint() != null && restarted.equals(c.getStatus().getSavepoint().getJobId())
                    && "Succeeded".equals(c.getStatus().getSavepoint().getState()));
            capture("jobmanager-back", api.cluster("default", NAME).get(), api);
        } finally {
            flink.close();
        }
    }

    private FlinkCluster flinkCluster(Path out) {
        JobSpec job = FlinkClusters.countingJob(out, null, work.resolve("savepoints"));
        job.setAutoSavepointSeconds(2);
        job.setRestartPolicy(JobSpec.RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
        return FlinkClusters.manifest("default", NAME, job);
    }

    private static FlinkCluster awaitCluster(MockApiServer api, java.util.function.Predicate<FlinkCluster> condition) {
        return await().atMost(WAIT).until(() -> api.cluster("default", NAME).get(),
                c -> c != null && c.getStatus() != null && job(c) != null && condition.test(c));
    }

    private static FlinkClusterStatus.Job job(FlinkCluster cluster) {
        return cluster.getStatus().getComponents() == null ? null : cluster.getStatus().getComponents().getJob();
    }

    private static FlinkClusterStatus.JobManager jobManager(FlinkCluster cluster) {
        return cluster.getStatus().getComponents().getJobManager();
    }

    private static List<String> reasons(MockApiServer api, String type) {
        return api.eventsOf("default", NAME).stream().filter(e -> type.equals(e.getType())).map(Event::getReason).toList();
    }

    private static double reachableGauge(ServiceInstance service) throws Exception {
        return service.metric("flink_jobmanager_reachable", "name", NAME);
    }

    private static long count(Path out) throws Exception {
        return Files.exists(out) ? Long.parseLong(Files.readString(out).trim()) : 0;
    }

    /** As kubectl get -o yaml and kubectl get events show it, for docs/operations.md. */
    private static void capture(String name, FlinkCluster cluster, MockApiServer api) throws Exception {
        FlinkClusters.capture(name, cluster, api.eventsOf("default", NAME));
    }
}

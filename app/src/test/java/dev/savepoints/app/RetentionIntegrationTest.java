package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.test.FlinkTestCluster;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.model.JobRetention;
import dev.savepoints.k8s.model.JobSpec;
import io.fabric8.kubernetes.api.model.Event;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on a real Flink with real files: automatic savepoints every 2 s, keep the last 3. After a minute the
 * savepoint directories on disk are exactly the history's retained savepoints, and the latest, the one the job
 * restarted from and a pinned one survive a policy that would otherwise dispose of them. A disposal asked for
 * while the JobManager is stopped fails, says so (history, Warning Event, metric), and is carried out once
 * Flink is back. Disposal by hand is refused for a protected savepoint, with the reason.
 */
class RetentionIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String NAME = "retention";
    private static final String TOKEN = "retention-test-token-0123456789";
    private static final String API = "/api/v1/namespaces/default/flinkclusters/" + NAME;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void theFilesOnDiskAreTheHistorysRetainedSavepointsAndNothingNeededIsDisposedOf() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path savepoints = work.resolve("savepoints");
        Path fail = work.resolve("fail");
        FlinkTestCluster flink = FlinkTestCluster.start(port);
        try (MockApiServer api = new MockApiServer();
             ServiceInstance service = ServiceInstance.startWeb(PostgresTestDatabase.newDatabase("retention"),
                     FlinkJobs.serviceOn(flink, "savepoints.k8s.enabled=true", "savepoints.k8s.master-url=" + api.masterUrl(),
                             "savepoints.query.tokens.retention-tester=" + TOKEN,
                             "savepoints.flink.request-timeout=2s",
                             // the files are on this machine: without this, the JobManager's outage would not show
                             "savepoints.flink.local-disposal=false",
                             "savepoints.command.disposal-retry-initial=1s",
                             "savepoints.command.disposal-retry-max=2s",
                             "savepoints.command.restart-backoff-initial=1s"))) {
            api.kubectl.resource(flinkCluster(savepoints, fail)).create();
            Instant started = Instant.now();

            // an early savepoint pinned by hand
            List<JsonNode> first = awaitHistory(service, h -> completed(h).size() >= 2);
            String pinned = completed(first).get(completed(first).size() - 1).path("triggerId").asText();
            HttpResponse<String> pin = service.write("PUT", API + "/savepoints/" + pinned + "/pin", TOKEN);
            assertThat(pin.statusCode()).as(pin.body()).isEqualTo(200);

            // the job fails and is restarted from its latest savepoint
            awaitHistory(service, h -> completed(h).size() >= 6);
            Files.createFile(fail);
            awaitCluster(api, c -> Set.of("Failed", "Restarting").contains(job(c).getState()));
            Files.delete(fail);
            FlinkCluster restarted = awaitCluster(api, c -> Integer.valueOf(1).equals(job(c).getRestartCount())
                    && "Running".equals(job(c).getState()));
            String restoredFrom = job(restarted).getFromSavepoint();
            assertThat(restoredFrom).isNotNull();

            // by hand: the restore point, once a newer savepoint is the latest, is refused with the reason
            String restoreId = triggerIdAt(history(service), restoredFrom);
            awaitHistory(service, h -> !completed(h).get(0).path("triggerId").asText().equals(restoreId));
            HttpResponse<String> refused = service.post(API + "/savepoints/" + restoreId + "/disposal", TOKEN);
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(JSON.readTree(refused.body()).path("detail").asText()).isEqualTo("the running job started from it");

            // a minute of savepoints every 2 s, then the schedule is switched off to compare a still picture
            await().atMost(WAIT).until(() -> Duration.between(started, Instant.now()).toSeconds() >= 60);
            api.edit("default", NAME, c -> {
                c.getSpec().getJob().setAutoSavepointSeconds(0);
                return c;
            });
            List<JsonNode> settled = awaitHistory(service, h -> inProgress(h) == 0
                    && h.stream().noneMatch(r -> Set.of("DISPOSING", "DISPOSAL_FAILED").contains(r.path("retention").asText())));
            String latest = job(api.cluster("default", NAME).get()).getSavepointLocation();
            assertThat(completed(settled).size()).as("savepoints in a minute").isGreaterThanOrEqualTo(15);
            assertThat(onDisk(savepoints)).as("savepoint directories on disk").isEqualTo(retained(settled));
            assertThat(retained(settled)).as("the 3 newest, the restore point, the pinned one")
                    .hasSize(5)
                    .contains(normal(latest), normal(restoredFrom), locationOf(settled, pinned));
            assertThat(settled).filteredOn(r -> "DISPOSED".equals(r.path("retention").asText()))
                    .isNotEmpty()
                    .allSatisfy(r -> {
                        assertThat(r.path("disposedAt").isNull()).isFalse();
                        assertThat(r.path("disposalReason").asText()).isEqualTo("MAX_COUNT");
                        assertThat(r.path("disposalMethod").asText()).isEqualTo("FLINK");
                    });
            HttpResponse<String> latestRefused = service.post(API + "/savepoints/" + triggerIdAt(settled, latest)
                    + "/disposal", TOKEN);
            assertThat(JSON.readTree(latestRefused.body()).path("detail").asText())
                    .isEqualTo("it is the job's latest completed savepoint: a restart would need it");

            // the JobManager stops; the unpinned savepoint's disposal fails, is visible, and is carried out later
            flink.close();
            HttpResponse<String> unpin = service.write("DELETE", API + "/savepoints/" + pinned + "/pin", TOKEN);
            assertThat(unpin.statusCode()).as(unpin.body()).isEqualTo(200);
            JsonNode failed = await().atMost(WAIT).until(() -> row(history(service), pinned),
                    r -> "DISPOSAL_FAILED".equals(r.path("retention").asText()));
            assertThat(failed.path("disposalFailure").asText()).contains("no JobManager took the disposal");
            assertThat(failed.path("retained").asBoolean()).isTrue();
            assertThat(Path.of(URI.create(failed.path("location").asText()))).exists();
            await().atMost(WAIT).until(() -> reasons(api, "Warning").contains("SavepointDisposalFailed"));
            assertThat(disposals(service, "failed")).isGreaterThanOrEqualTo(1);

            flink = FlinkTestCluster.start(port); // a new JobManager: the job, lost, restarts from its latest savepoint
            JsonNode disposed = await().atMost(WAIT).until(() -> row(history(service), pinned),
                    r -> "DISPOSED".equals(r.path("retention").asText()));
            assertThat(disposed.path("disposalAttempts").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(Path.of(URI.create(disposed.path("location").asText()))).doesNotExist();
            FlinkCluster back = awaitCluster(api, c -> Integer.valueOf(2).equals(job(c).getRestartCount())
                    && "Running".equals(job(c).getState()));
            assertThat(job(back).getFromSavepoint()).isEqualTo(latest);
            // the earlier restore point is no longer needed: it goes too
            JsonNode earlierRestore = await().atMost(WAIT).until(() -> row(history(service), restoreId),
                    r -> "DISPOSED".equals(r.path("retention").asText()));
            assertThat(Path.of(URI.create(earlierRestore.path("location").asText()))).doesNotExist();
            List<JsonNode> end = awaitHistory(service, h -> h.stream().noneMatch(
                    r -> Set.of("DISPOSING", "DISPOSAL_FAILED").contains(r.path("retention").asText())));
            assertThat(onDisk(savepoints)).as("files and history agree at the end").isEqualTo(retained(end));
            assertThat(retained(end)).hasSize(3).contains(normal(latest));
            assertThat(disposals(service, "flink")).isGreaterThanOrEqualTo(completed(settled).size() - 5);
            int kept = retained(end).size();
            await().atMost(WAIT).until(() -> retainedGauge(service), v -> v == kept);

            // who asked is in the audit log, refusals with their reason
            JsonNode audit = JSON.readTree(service.get("/api/v1/audit?actor=retention-tester&limit=50").body());
            List<String> actions = new ArrayList<>();
            audit.path("items").forEach(r -> actions.add(r.path("action").asText() + " " + r.path("decision").asText()));
            assertThat(actions).contains("pin ACCEPTED", "unpin ACCEPTED", "dispose:user REJECTED");

            // deleted with disposeOnDeletion: its savepoints are disposed of, and the history says so
            api.edit("default", NAME, c -> {
                c.getSpec().getJob().getRetention().setDisposeOnDeletion(true);
                return c;
            });
            api.cluster("default", NAME).delete();
            List<JsonNode> deleted = awaitHistory(service, h -> retained(h).isEmpty());
            assertThat(onDisk(savepoints)).as("nothing left on disk").isEmpty();
            assertThat(deleted).filteredOn(r -> "DELETION".equals(r.path("disposalReason").asText()))
                    .hasSize(kept).allSatisfy(r -> assertThat(r.path("retention").asText()).isEqualTo("DISPOSED"));
        } finally {
            flink.close();
        }
    }

    private FlinkCluster flinkCluster(Path savepoints, Path fail) {
        JobSpec job = FlinkClusters.countingJob(work.resolve("count"), fail, savepoints);
        job.setAutoSavepointSeconds(2);
        job.setRestartPolicy(JobSpec.RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
        JobRetention retention = new JobRetention();
        retention.setMaxCount(3);
        job.setRetention(retention);
        return FlinkClusters.manifest("default", NAME, job);
    }

    /** The job's whole history, newest first. */
    private static List<JsonNode> history(ServiceInstance service) throws Exception {
        HttpResponse<String> answer = service.get(API + "/savepoints?limit=500");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(answer.body()).path("items").forEach(rows::add);
        return rows;
    }

    private static List<JsonNode> awaitHistory(ServiceInstance service, Predicate<List<JsonNode>> condition) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> history(service), condition);
    }

    private static List<JsonNode> completed(List<JsonNode> history) {
        return history.stream().filter(r -> "COMPLETED".equals(r.path("outcome").asText())).toList();
    }

    private static long inProgress(List<JsonNode> history) {
        return history.stream().filter(r -> "IN_PROGRESS".equals(r.path("outcome").asText())).count();
    }

    /** The locations of the savepoints the history says are kept. */
    private static Set<String> retained(List<JsonNode> history) {
        return SavepointFiles.paths(history.stream().filter(r -> r.path("retained").asBoolean())
                .map(r -> r.path("location").asText()).toList());
    }

    private static Set<String> onDisk(Path savepoints) throws Exception {
        return SavepointFiles.onDisk(savepoints);
    }

    private static String normal(String location) {
        return SavepointFiles.path(location);
    }

    private static JsonNode row(List<JsonNode> history, String triggerId) {
        return history.stream().filter(r -> triggerId.equals(r.path("triggerId").asText())).findFirst().orElseThrow();
    }

    private static String triggerIdAt(List<JsonNode> history, String location) {
        return history.stream().filter(r -> normal(location).equals(normal(r.path("location").asText("file:/none"))))
                .findFirst().orElseThrow().path("triggerId").asText();
    }

    private static String locationOf(List<JsonNode> history, String triggerId) {
        return normal(row(history, triggerId).path("location").asText());
    }

    private static FlinkCluster awaitCluster(MockApiServer api, Predicate<FlinkCluster> condition) {
        return await().atMost(WAIT).until(() -> api.cluster("default", NAME).get(),
                c -> c != null && c.getStatus() != null && job(c) != null && condition.test(c));
    }

    private static FlinkClusterStatus.Job job(FlinkCluster cluster) {
        return cluster.getStatus().getComponents() == null ? null : cluster.getStatus().getComponents().getJob();
    }

    private static List<String> reasons(MockApiServer api, String type) {
        return api.eventsOf("default", NAME).stream().filter(e -> type.equals(e.getType())).map(Event::getReason).toList();
    }

    private static double disposals(ServiceInstance service, String outcome) throws Exception {
        double sum = service.metric("savepoint_disposals_total", "outcome", outcome);
        return Double.isNaN(sum) ? 0 : sum;
    }

    private static double retainedGauge(ServiceInstance service) throws Exception {
        return service.metric("savepoints_retained", "name", NAME);
    }
}

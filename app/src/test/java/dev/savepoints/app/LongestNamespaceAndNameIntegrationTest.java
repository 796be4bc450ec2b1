package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.command.api.JobId;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.rest.FlinkRestClient;
import dev.savepoints.flink.test.FlinkTestCluster;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterSpec;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.model.JobSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A FlinkCluster with the longest namespace (63 characters, a DNS label) and name (253, a DNS subdomain) that
 * Kubernetes allows, 317 characters as the job's id: registered, run on a real Flink (the run saga is associated by
 * that id), a savepoint through the user-control annotation, and the status, REST, the SQL views and the event
 * store all show it. The mock API server stands in for Kubernetes, a real PostgreSQL holds everything.
 */
class LongestNamespaceAndNameIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CONTROL = "flinkclusters.flinkoperator.k8s.io/user-control";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** "longest-ns-" and 52 more: 63. */
    private static final String NAMESPACE = "longest-ns-" + "n".repeat(52);
    /** Three labels of 63 and one of 61, dot-separated: 253. */
    private static final String NAME = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
    private static final JobId JOB = JobId.of(NAMESPACE, NAME);

    private static FlinkTestCluster flink;
    private static FlinkRestClient flinkRest;
    private static MockApiServer api;
    private static PostgresTestDatabase.Database database;
    private static ServiceInstance service;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        assertThat(NAMESPACE).hasSize(63);
        assertThat(NAME).hasSize(253);
        assertThat(JOB.toString()).hasSize(317);
        work = Files.createTempDirectory("longest-names");
        flink = FlinkTestCluster.start();
        flinkRest = flink.restClient();
        api = new MockApiServer();
        database = PostgresTestDatabase.newDatabase("longest_names");
        service = ServiceInstance.startWeb(database, FlinkJobs.serviceOn(flink,
                "savepoints.k8s.enabled=true", "savepoints.k8s.master-url=" + api.masterUrl()));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        api.close();
        flink.close();
    }

    @Test
    void theLongestNamespaceAndNameAreRegisteredRunAndSavedThroughTheAnnotation() throws Exception {
        api.kubectl.resource(manifest()).create();
        FlinkCluster running = awaitStatus(c -> job(c) != null && "Running".equals(job(c).getState()));
        String flinkJobId = job(running).getId();
        assertThat(flinkRest.job(flinkJobId).globallyTerminal()).isFalse();

        api.annotate(NAMESPACE, NAME, CONTROL, "savepoint", "kubectl-annotate");
        FlinkCluster done = awaitStatus(c -> c.getStatus().getControl() != null
                && "Succeeded".equals(c.getStatus().getControl().getState())
                && (c.getMetadata().getAnnotations() == null || !c.getMetadata().getAnnotations().containsKey(CONTROL)));

        // the CR status
        String triggerId = job(done).getLastSavepointTriggerId();
        String location = job(done).getSavepointLocation();
        assertThat(triggerId).matches("[0-9a-f]{32}");
        assertThat(Path.of(URI.create(location))).isDirectory();
        assertThat(job(done).getSavepointGeneration()).isEqualTo(1L);
        assertThat(done.getStatus().getControl().getName()).isEqualTo("savepoint");
        assertThat(done.getStatus().getControl().getDetails().getSavepointTriggerId()).isEqualTo(triggerId);
        assertThat(done.getStatus().getSavepoint().getTriggerReason()).isEqualTo("user requested");

        // REST: the status and the history
        JsonNode status = get("/api/v1/namespaces/" + NAMESPACE + "/flinkclusters/" + NAME);
        assertThat(status.path("namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(status.path("name").asText()).isEqualTo(NAME);
        assertThat(status.path("state").asText()).isEqualTo("Running");
        assertThat(status.path("savepointLocation").asText()).isEqualTo(location);
        JsonNode history = get("/api/v1/namespaces/" + NAMESPACE + "/flinkclusters/" + NAME + "/savepoints").path("items");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("triggerId").asText()).isEqualTo(triggerId);
        assertThat(history.get(0).path("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(history.get(0).path("reason").asText()).isEqualTo("USER_CONTROL");
        assertThat(history.get(0).path("location").asText()).isEqualTo(location);
        JsonNode audit = get("/api/v1/audit?namespace=" + NAMESPACE + "&name=" + URLEncoder.encode(NAME, StandardCharsets.UTF_8)).path("items");
        assertThat(audit).extracting(item -> item.path("action").asText()).contains("control:savepoint");

        // SQL: the views users query
        assertThat(sql("select outcome || ' ' || location from savepoints.savepoint_history where namespace = ? and name = ?"))
                .containsExactly("COMPLETED " + location);
        assertThat(sql("select state || ' ' || savepoint_generation from savepoints.job_status where namespace = ? and name = ?"))
                .containsExactly("Running 1");

        // the event store: the job's stream under its 317-character id
        StoredEvents events = new StoredEvents(database);
        assertThat(events.of(JOB.toString())).extracting(StoredEvents.Stored::type)
                .contains("JobRegistered", "JobSubmitted", "SavepointTriggered", "SavepointCompleted", "ControlSucceeded");
        // the automatic savepoint's deadline holds the job (the aggregate's scope) too
        assertThat(sql("select count(*) from scheduled_tasks where position(convert_to(?, 'UTF8') in task_data) > 0"
                + " and position(convert_to(?, 'UTF8') in task_data) > 0")).singleElement().asString().isNotEqualTo("0");

        // Kubernetes Events about the cluster: their names are made from the cluster's (ClusterStatusPatcher)
        List<String> recorded = api.eventsOf(NAMESPACE, NAME).stream()
                .map(e -> e.getReason() + " (name of " + e.getMetadata().getName().length() + " characters)").toList();
        System.err.println("Kubernetes Events of the longest-named cluster: " + recorded);
        assertThat(recorded).anyMatch(event -> event.startsWith("SavepointCreated"));

        flinkRest.cancel(flinkJobId);
        await().atMost(WAIT).until(() -> flinkRest.job(flinkJobId).globallyTerminal());
    }

    private static FlinkCluster manifest() {
        JobSpec job = new JobSpec();
        job.setJarFile(FlinkTestCluster.countingJobJar().toString());
        job.setClassName(FlinkJobs.COUNTING_JOB);
        job.setArgs(List.of("--out", work.resolve("count").toString(), "--delay-ms", "10"));
        job.setParallelism(1);
        job.setSavepointsDir(work.resolve("savepoints").toUri().toString());
        job.setAutoSavepointSeconds(3600);
        FlinkClusterSpec spec = new FlinkClusterSpec();
        spec.setJob(job);
        FlinkCluster cluster = new FlinkCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NAMESPACE).build());
        cluster.setSpec(spec);
        return cluster;
    }

    private static FlinkCluster awaitStatus(Predicate<FlinkCluster> condition) {
        return await().atMost(WAIT).until(() -> api.cluster(NAMESPACE, NAME).get(),
                c -> c != null && c.getStatus() != null && condition.test(c));
    }

    private static FlinkClusterStatus.Job job(FlinkCluster cluster) {
        return cluster.getStatus().getComponents() == null ? null : cluster.getStatus().getComponents().getJob();
    }

    private static JsonNode get(String path) throws Exception {
        var response = service.get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The first column of each row of {@code sql}, with the namespace and the name as its two parameters. */
    private static List<String> sql(String sql) throws Exception {
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, NAMESPACE);
            statement.setString(2, NAME);
            List<String> rows = new java.util.ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        }
    }
}

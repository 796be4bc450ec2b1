package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.k8s.model.FlinkCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One status model behind the CR, the REST API and the SQL view: at every step of an annotation savepoint the three
 * show the same state words, and the API server gets one status write per change plus the annotation's removal.
 * Flink's facts are sent as the gateway would send them (mock API server in CRUD mode, real PostgreSQL).
 */
class StatusVocabularyIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CONTROL = "flinkclusters.flinkoperator.k8s.io/user-control";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MockApiServer apiServer;
    private static PostgresTestDatabase.Database database;
    private static StoredEvents events;
    private static ServiceInstance service;

    @BeforeAll
    static void start() throws Exception {
        apiServer = new MockApiServer();
        database = PostgresTestDatabase.newDatabase("status_vocabulary");
        events = new StoredEvents(database);
        service = ServiceInstance.startWeb(database,
                "savepoints.k8s.enabled=true",
                "savepoints.k8s.master-url=" + apiServer.masterUrl(),
                "savepoints.flink.job-manager-url-template=http://127.0.0.1:1",
                // wide enough that the test's savepoint ends within the progress delay, and the events of one step
                // settle into one write, on a loaded machine
                "savepoints.k8s.status-progress-delay=3s",
                "savepoints.k8s.status-settle=500ms",
                // the observer must not find the JobManager away while the test plays Flink
                "savepoints.flink.unreachable-after-rounds=1000");
    }

    @AfterAll
    static void stop() {
        service.close();
        apiServer.close();
    }

    /** The job's state, its control's and its latest savepoint request's, as one of the three shows them. */
    record Words(String job, String control, String savepoint) {
    }

    @Test
    void anAnnotationSavepointCostsTwoWritesAndTheThreeViewsAgreeAtEveryStep() throws Exception {
        JobId job = JobId.of("default", "vocabulary");
        apiServer.kubectl.resource(manifest(job.name())).create();
        await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "JobRegistered").isEmpty());
        service.commands().sendAndWait(new RecordJobSubmitted(job, "0000000000000000000000000000abcd"));
        service.commands().sendAndWait(new ReportJobState(job, "0000000000000000000000000000abcd", JobState.RUNNING, null));
        Words running = new Words("Running", null, null);
        awaitAllThree(job, running);

        // a savepoint that ends within the progress delay: one write shows its start and its end
        String statusPath = "/apis/flinkoperator.k8s.io/v1beta1/namespaces/default/flinkclusters/" + job.name();
        int before = apiServer.serviceWritesTo(statusPath).size();
        apiServer.annotate("default", job.name(), CONTROL, "savepoint", "kubectl-annotate");
        String first = awaitTrigger(job, 1);
        service.commands().sendAndWait(new CompleteSavepoint(job, first, "file:/savepoints/savepoint-1"));
        Words succeeded = new Words("Running", "Succeeded", "Succeeded");
        awaitAllThree(job, succeeded);
        await().atMost(WAIT).until(() -> annotationGone(job));
        List<String> writes = apiServer.serviceWritesTo(statusPath).subList(before, apiServer.serviceWritesTo(statusPath).size());
        assertThat(writes).as("writes for one annotation savepoint")
                .containsExactly("PATCH " + statusPath + "/status", "PATCH " + statusPath);
        assertThat(triggerReasons(job, first)).as("the savepoint's reason in the CR, the REST and the SQL history")
                .containsExactly("user requested", "user requested", "user requested");

        // a savepoint that outlasts it: its progress is shown too, in the same words everywhere
        apiServer.annotate("default", job.name(), CONTROL, "savepoint", "kubectl-annotate");
        String second = awaitTrigger(job, 2);
        awaitAllThree(job, new Words("Running", "Progressing", "InProgress"));
        service.commands().sendAndWait(new CompleteSavepoint(job, second, "file:/savepoints/savepoint-2"));
        awaitAllThree(job, succeeded);

        // a refusal is Failed in all three (REST and SQL said Rejected before)
        apiServer.annotate("default", job.name(), CONTROL, "suspend", "kubectl-annotate");
        awaitAllThree(job, new Words("Running", "Failed", "Succeeded"));
    }

    private static String awaitTrigger(JobId job, int count) {
        return await().atMost(WAIT).until(() -> events.ofType(job.toString(), "SavepointTriggered"), list -> list.size() == count)
                .get(count - 1).payload().path("triggerId").asText();
    }

    private static void awaitAllThree(JobId job, Words expected) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(cr(job)).as("the CR").isEqualTo(expected);
            assertThat(rest(job)).as("REST").isEqualTo(expected);
            assertThat(sql(job)).as("SQL").isEqualTo(expected);
        });
    }

    private static Words cr(JobId job) {
        FlinkCluster cluster = apiServer.cluster(job.namespace(), job.name()).get();
        var status = cluster.getStatus();
        return new Words(status == null || status.getComponents() == null ? null : status.getComponents().getJob().getState(),
                status == null || status.getControl() == null ? null : status.getControl().getState(),
                status == null || status.getSavepoint() == null ? null : status.getSavepoint().getState());
    }

    private static Words rest(JobId job) throws Exception {
        JsonNode status = JSON.readTree(service.get("/api/v1/namespaces/" + job.namespace() + "/flinkclusters/" + job.name()).body());
        return new Words(text(status.path("state")), text(status.path("controlState")), text(status.path("savepointRequestState")));
    }

    private static Words sql(JobId job) throws Exception {
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement("""
                select state, control_state, savepoint_request_state from savepoints.job_status
                where namespace = ? and name = ? order by incarnation desc limit 1""")) {
            query.setString(1, job.namespace());
            query.setString(2, job.name());
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? new Words(row.getString(1), row.getString(2), row.getString(3)) : null;
            }
        }
    }

    /** The CR's {@code savepoint.triggerReason}, and the history's {@code triggerReason} of that savepoint over REST and SQL. */
    private static List<String> triggerReasons(JobId job, String triggerId) throws Exception {
        String cr = apiServer.cluster(job.namespace(), job.name()).get().getStatus().getSavepoint().getTriggerReason();
        JsonNode history = JSON.readTree(service.get("/api/v1/namespaces/" + job.namespace() + "/flinkclusters/"
                + job.name() + "/savepoints").body()).path("items");
        String rest = null;
        for (JsonNode savepoint : history) {
            if (triggerId.equals(savepoint.path("triggerId").asText())) {
                rest = text(savepoint.path("triggerReason"));
            }
        }
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(
                "select trigger_reason from savepoints.savepoint_history where trigger_id = ?")) {
            query.setString(1, triggerId);
            try (ResultSet row = query.executeQuery()) {
                return Arrays.asList(cr, rest, row.next() ? row.getString(1) : null);
            }
        }
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static boolean annotationGone(JobId job) {
        Map<String, String> annotations = apiServer.cluster(job.namespace(), job.name()).get().getMetadata().getAnnotations();
        return annotations == null || !annotations.containsKey(CONTROL);
    }

    private static FlinkCluster manifest(String name) {
        return FlinkClusters.manifest("default", name, FlinkClusters.savepointsTo("file:/savepoints/"));
    }
}

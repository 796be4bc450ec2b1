package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.query.QueryProjections;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read models from recorded events, over REST and SQL, and rebuilt from the event store. */
class QuerySideIntegrationTest {

    private static final JobId JOB = JobId.of("default", "flinkjobcluster-sample");
    private static final RequestedBy ALICE = new RequestedBy("alice", Source.REST, null);
    private static final RequestedBy ANNOTATOR = new RequestedBy("kubectl-annotate", Source.KUBERNETES_ANNOTATION, null);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "ci-bot-token-0123456789abcdef";

    private static PostgresTestDatabase.Database database;
    private static ServiceInstance service;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String completedTrigger;
    private static String failedTrigger;

    @BeforeAll
    static void recordAHistory() {
        database = PostgresTestDatabase.newDatabase("query_side");
        service = ServiceInstance.startWeb(database, "savepoints.query.tokens.ci-bot=" + TOKEN);
        var commands = service.commands();
        Jobs.running(commands, JOB, "c0c55ce62eba6ab41b6bb9288ef79c12", Jobs.settings(null));
        Decision first = commands.sendAndWait(new TriggerSavepoint(JOB, TriggerReason.REST, null, ALICE));
        completedTrigger = first.id();
        commands.sendAndWait(new CompleteSavepoint(JOB, completedTrigger, "file:///tmp/savepoints/savepoint-c0c55c-1"));
        Decision second = commands.sendAndWait(new TriggerSavepoint(JOB, TriggerReason.GENERATION_BUMP, 2L, Jobs.KUBECTL));
        failedTrigger = second.id();
        commands.sendAndWait(new FailSavepoint(JOB, failedTrigger, "java.io.IOException: disk full", false));
        commands.sendAndWait(new RequestControl(JOB, "restart", "k-1", ANNOTATOR)); // rejected: unknown control
        commands.sendAndWait(new TriggerSavepoint(JOB, TriggerReason.GENERATION_BUMP, 5L, Jobs.KUBECTL)); // rejected
        await().atMost(Duration.ofSeconds(30)).until(() -> auditRows().size() == 5);
    }

    private static List<String> auditRows() {
        return rows("select action || ' ' || decision || ' ' || coalesce(outcome, '-') || ' ' || actor from qs_audit"
                + " where job_id = 'default/flinkjobcluster-sample' order by global_index");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return service.get(pathAndQuery);
    }

    private static JsonNode getJson(String pathAndQuery) throws Exception {
        HttpResponse<String> response = get(pathAndQuery);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }


    private static List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect(); ResultSet rs = connection.createStatement().executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    @Test
    void theStatusOfAJobShowsItsLatestSavepointAndGeneration() throws Exception {
        JsonNode status = getJson("/api/v1/namespaces/default/flinkclusters/flinkjobcluster-sample");
        assertThat(status.at("/state").asText()).isEqualTo("Running");
        assertThat(status.at("/flinkJobId").asText()).isEqualTo("c0c55ce62eba6ab41b6bb9288ef79c12");
        assertThat(status.at("/savepointGeneration").asLong()).isEqualTo(1);
        assertThat(status.at("/savepointLocation").asText()).isEqualTo("file:///tmp/savepoints/savepoint-c0c55c-1");
        assertThat(status.at("/lastSavepointTriggerId").asText()).isEqualTo(completedTrigger);
        assertThat(status.at("/controlState").asText()).isEqualTo("Failed");
    }

    @Test
    void clustersAreListedByNamespaceAndState() throws Exception {
        JsonNode running = getJson("/api/v1/flinkclusters?namespace=default&state=running");
        assertThat(running.at("/items")).hasSize(1);
        assertThat(running.at("/items/0/name").asText()).isEqualTo("flinkjobcluster-sample");
        assertThat(getJson("/api/v1/flinkclusters?namespace=default&state=Failed").at("/items")).isEmpty();
        HttpResponse<String> bad = get("/api/v1/flinkclusters?state=Exploded");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).at("/parameter").asText()).isEqualTo("state");
    }

    @Test
    void theHistoryHasOneRowPerAttemptNewestFirstAndPagesByCursor() throws Exception {
        JsonNode all = getJson("/api/v1/namespaces/default/flinkclusters/flinkjobcluster-sample/savepoints");
        assertThat(all.at("/items")).hasSize(2);
        assertThat(all.at("/items/0/triggerId").asText()).isEqualTo(failedTrigger);
        assertThat(all.at("/items/0/outcome").asText()).isEqualTo("FAILED");
        assertThat(all.at("/items/0/failureCause").asText()).isEqualTo("java.io.IOException: disk full");
        assertThat(all.at("/items/0/reason").asText()).isEqualTo("GENERATION_BUMP");
        assertThat(all.at("/items/1/outcome").asText()).isEqualTo("COMPLETED");
        assertThat(all.at("/items/1/actor").asText()).isEqualTo("alice");
        assertThat(all.at("/items/1/source").asText()).isEqualTo("REST");
        assertThat(all.at("/items/1/generation").asLong()).isEqualTo(1);
        assertThat(all.at("/items/1/durationMs").asLong()).isGreaterThanOrEqualTo(0);

        JsonNode first = getJson("/api/v1/savepoints?namespace=default&limit=1");
        assertThat(first.at("/items/0/triggerId").asText()).isEqualTo(failedTrigger);
        JsonNode second = getJson("/api/v1/savepoints?namespace=default&limit=1&cursor=" + first.at("/nextCursor").asText());
        assertThat(second.at("/items/0/triggerId").asText()).isEqualTo(completedTrigger);
        assertThat(second.at("/nextCursor").isNull()).isTrue();

        assertThat(getJson("/api/v1/savepoints?namespace=default&outcome=completed&actor=alice").at("/items")).hasSize(1);
        assertThat(getJson("/api/v1/savepoints?namespace=default&source=KUBERNETES_SPEC").at("/items/0/triggerId").asText())
                .isEqualTo(failedTrigger);
        assertThat(getJson("/api/v1/savepoints?outcome=TIMED_OUT").at("/items")).isEmpty();
        assertThat(getJson("/api/v1/savepoints?since=2100-01-01T00:00:00Z").at("/items")).isEmpty();
    }

    @Test
    void theAuditHasEveryActionWithItsDecisionAndOutcome() throws Exception {
        assertThat(auditRows()).containsExactly(
                "register ACCEPTED - kubectl-client-side-apply",
                "savepoint:rest ACCEPTED SUCCEEDED alice",
                "savepoint:generation-bump ACCEPTED FAILED kubectl-client-side-apply",
                "control:restart REJECTED - kubectl-annotate",
                "savepoint:generation-bump REJECTED - kubectl-client-side-apply");
        JsonNode rejected = getJson("/api/v1/audit?namespace=default&decision=REJECTED");
        assertThat(rejected.at("/items")).hasSize(2);
        assertThat(rejected.at("/items/0/reason").asText()).isEqualTo("savepointGeneration may only be set to status + 1 (2), was 5");
        assertThat(rejected.at("/items/1/reason").asText()).isEqualTo("unknown control 'restart'; expected savepoint or job-cancel");
        assertThat(getJson("/api/v1/audit?actor=alice&source=rest").at("/items/0/outcomeDetail").asText())
                .isEqualTo("file:///tmp/savepoints/savepoint-c0c55c-1");
    }

    @Test
    void aValueLongerThanItsColumnIsCutAndTheProjectionsGoOn() throws Exception {
        JobId other = JobId.of("long-values", "job");
        var commands = service.commands();
        Jobs.running(commands, other, "0000000000000000000000000000000a", Jobs.settings(null));
        commands.sendAndWait(new RequestControl(other, "x".repeat(300), "k-long", ANNOTATOR)); // rejected, name kept
        commands.sendAndWait(new ChangeJobSettings(other, Jobs.settings(600), Jobs.KUBECTL)); // after it
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("select action from qs_audit where job_id = 'long-values/job'"
                + " order by global_index").size() == 3);
        assertThat(rows("select action from qs_audit where job_id = 'long-values/job' and decision = 'REJECTED'"))
                .singleElement().satisfies(action -> assertThat(action).hasSize(64).startsWith("control:xxx").endsWith("…"));
        assertThat(rows("select control_name from qs_job_status where job_id = 'long-values/job'"))
                .singleElement().satisfies(name -> assertThat(name).hasSize(64).endsWith("…"));
    }

    @Test
    void badParametersGetAProblemThatNamesThem() throws Exception {
        for (String[] bad : new String[][] {
                {"/api/v1/savepoints?outcome=BOGUS", "outcome"},
                {"/api/v1/savepoints?limit=0", "limit"},
                {"/api/v1/savepoints?limit=abc", "limit"},
                {"/api/v1/savepoints?since=yesterday", "since"},
                {"/api/v1/savepoints?cursor=%25%25", "cursor"},
                {"/api/v1/audit?source=KUBECTL", "source"},
                {"/api/v1/savepoints?source=KUBECTL", "source"},
                {"/api/v1/audit?actor=" + "a".repeat(600), "actor"},
                {"/api/v1/audit?reason=x&decision=MAYBE", "decision"}}) {
            HttpResponse<String> response = get(bad[0]);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(JSON.readTree(response.body()).at("/parameter").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
        HttpResponse<String> unknown = get("/api/v1/namespaces/default/flinkclusters/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/detail").asText()).isEqualTo("no FlinkCluster default/nope is known");
    }

    private static HttpResponse<String> post(String path, String token) throws Exception {
        return service.post(path, token);
    }

    @Test
    void aSavepointRequestedThroughRestNeedsATokenAndIsRecordedWithItsPrincipal() throws Exception {
        String path = "/api/v1/namespaces/rest/flinkclusters/rest-job/savepoints";
        JobId job = JobId.of("rest", "rest-job");
        Jobs.running(service.commands(), job, "0000000000000000000000000000000d", Jobs.settings(null));

        for (String token : new String[] {null, "not-the-token-at-all"}) {
            HttpResponse<String> refused = post(path, token);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        }

        HttpResponse<String> accepted = post(path, TOKEN);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String triggerId = JSON.readTree(accepted.body()).at("/triggerId").asText();
        assertThat(triggerId).matches("[0-9a-f]{32}");

        HttpResponse<String> conflict = post(path, TOKEN);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(conflict.body()).at("/detail").asText())
                .isEqualTo("savepoint " + triggerId + " is still in progress");

        assertThat(post("/api/v1/namespaces/default/flinkclusters/nobody/savepoints", TOKEN).statusCode()).isEqualTo(404);

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(
                "select actor || ' ' || decision from qs_audit where job_id = 'rest/rest-job' and action = 'savepoint:rest'"
                        + " order by global_index").equals(List.of("ci-bot ACCEPTED", "ci-bot REJECTED")));
    }

    @Test
    void aPinByRestOrByTheAnnotationIsShownInTheHistoryAndSql() throws Exception {
        JobId job = JobId.of("default", "pins");
        var commands = service.commands();
        Jobs.running(commands, job, "0000000000000000000000000000000e", Jobs.settings(null));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Decision taken = commands.sendAndWait(new TriggerSavepoint(job, TriggerReason.REST, null, ALICE));
            commands.sendAndWait(new CompleteSavepoint(job, taken.id(), "file:///tmp/savepoints/pins-" + i));
            ids.add(taken.id());
        }
        String path = "/api/v1/namespaces/default/flinkclusters/pins/savepoints";
        HttpResponse<String> pin = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path
                        + "/" + ids.get(0) + "/pin")).PUT(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pin.statusCode()).as(pin.body()).isEqualTo(200);
        var pinned = Jobs.settings(null);
        commands.sendAndWait(new ChangeJobSettings(job, new dev.savepoints.command.api.JobSettings(pinned.savepointsDir(),
                null, pinned.restartPolicy(), null, false, null, null, false, pinned.artifact(), null, null,
                new dev.savepoints.command.api.RetentionPolicy(null, null, null, null, List.of("file:///tmp/savepoints/pins-2"))),
                Jobs.KUBECTL));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rows("select trigger_id || ' ' || pinned"
                + " || ' ' || coalesce(pinned_by, '-') from savepoints.savepoint_history where name = 'pins'"
                + " order by completed_at")).containsExactly(ids.get(0) + " true ci-bot",
                ids.get(1) + " true annotation savepoints.dev/pinned-savepoints", ids.get(2) + " false -"));
        JsonNode kept = getJson(path + "?retention=RETAINED");
        assertThat(kept.path("items")).hasSize(3);
        assertThat(kept.path("items").get(1).path("pinnedBy").asText()).isEqualTo("annotation savepoints.dev/pinned-savepoints");

        commands.sendAndWait(new ChangeJobSettings(job, pinned, Jobs.KUBECTL)); // the annotation removed
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rows("select count(*) from"
                + " savepoints.retained_savepoints where name = 'pins' and pinned")).containsExactly("1"));
    }

    @Test
    void readsCanBeClosedToCallersWithoutAToken() throws Exception {
        try (ServiceInstance closed = ServiceInstance.startWeb(database, "savepoints.query.reads-open=false",
                "savepoints.query.tokens.analyst=" + TOKEN)) {
            URI status = URI.create("http://localhost:" + closed.port()
                    + "/api/v1/namespaces/default/flinkclusters/flinkjobcluster-sample");
            assertThat(HTTP.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(401);
            HttpResponse<String> withToken = HTTP.send(HttpRequest.newBuilder(status)
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withToken.statusCode()).isEqualTo(200);
            URI health = URI.create("http://localhost:" + closed.port() + "/actuator/health");
            assertThat(HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            // the history pages: a browser is asked for Basic credentials, whose password is the same token
            URI page = URI.create("http://localhost:" + closed.port() + "/ui/namespaces/default/flinkclusters/flinkjobcluster-sample");
            HttpResponse<String> challenged = HTTP.send(HttpRequest.newBuilder(page).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(challenged.statusCode()).isEqualTo(401);
            assertThat(challenged.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Basic"));
            assertThat(HTTP.send(HttpRequest.newBuilder(page).header("Authorization", basic("anyone", "not-a-token"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> shown = HTTP.send(HttpRequest.newBuilder(page).header("Authorization",
                    basic("analyst", TOKEN)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(shown.statusCode()).isEqualTo(200);
            assertThat(shown.body()).contains("flinkjobcluster-sample");
            URI script = URI.create("http://localhost:" + closed.port() + "/webjars/htmx.org/dist/htmx.min.js");
            assertThat(HTTP.send(HttpRequest.newBuilder(script).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as("public libraries need no credentials").isEqualTo(200);
        }
    }

    @Test
    void theHistoryPagesAreReadOnlyAndWriteEveryValueAsText() throws Exception {
        HttpResponse<String> overview = get("/ui");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                policy -> assertThat(policy).contains("script-src 'self'"));
        assertThat(overview.body()).contains("flinkjobcluster-sample");
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + "/ui"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as("the pages only read").isIn(401, 403, 405);
        HttpResponse<String> badSort = get("/ui?sort=%3Cscript%3E");
        assertThat(badSort.statusCode()).isEqualTo(400);
        assertThat(badSort.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(badSort.body()).path("parameter").asText()).isEqualTo("sort");
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void metricsCountSavepointsControlsAndJobsByState() throws Exception {
        HttpResponse<String> scrape = get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .containsPattern("savepoints_total\\{[^}]*outcome=\"completed\",reason=\"rest\"[^}]*} [1-9]")
                .containsPattern("savepoints_total\\{[^}]*outcome=\"failed\",reason=\"generation_bump\"[^}]*} 1")
                .containsPattern("savepoints_total\\{[^}]*outcome=\"rejected\",reason=\"generation_bump\"[^}]*} 1")
                .containsPattern("controls_total\\{[^}]*name=\"unknown\",outcome=\"rejected\"[^}]*} [1-9]")
                .containsPattern("savepoint_duration_seconds_count\\{[^}]*reason=\"rest\"[^}]*} [1-9]")
                .containsPattern("flink_jobs\\{[^}]*state=\"Running\"[^}]*} [1-9]");
    }

    @Test
    void theApiIsDescribedWithOpenApi() throws Exception {
        JsonNode api = getJson("/api/v1/openapi");
        assertThat(api.at("/paths").has("/api/v1/savepoints")).isTrue();
        assertThat(api.at("/paths").has("/api/v1/audit")).isTrue();
        assertThat(api.at("/paths").has("/api/v1/namespaces/{namespace}/flinkclusters/{name}/savepoints")).isTrue();
    }

    @Test
    void theReaderRoleReadsTheViewsAndNothingElse() throws Exception {
        try (Connection admin = database.connect(); Statement statement = admin.createStatement()) {
            statement.execute("do $$ begin if not exists (select from pg_roles where rolname = 'analyst') then "
                    + "create role analyst login password 'analyst' in role savepoints_reader; end if; end $$");
        }
        try (Connection analyst = DriverManager.getConnection(database.jdbcUrl(), "analyst", "analyst");
             Statement sql = analyst.createStatement()) {
            try (ResultSet rs = sql.executeQuery("select count(*) from savepoints.savepoint_history where outcome = 'COMPLETED'"
                    + " and name = 'flinkjobcluster-sample'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
            try (ResultSet rs = sql.executeQuery("select count(*) from savepoints.audit_log where name = 'flinkjobcluster-sample'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(5);
            }
            for (String forbidden : List.of("select * from qs_savepoint", "select * from domain_event_entry",
                    "delete from savepoints.audit_log", "insert into savepoints.job_status (namespace) values ('x')",
                    "create table public.mine (x int)")) {
                assertThatThrownBy(() -> sql.execute(forbidden)).as(forbidden)
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
        }
    }

    @Test
    void readModelsRebuiltFromTheEventStoreEqualTheOriginals() {
        String[] queries = {"select * from qs_job_status order by job_id, incarnation",
                "select * from qs_savepoint order by trigger_id", "select * from qs_audit order by global_index"};
        List<List<String>> before = new ArrayList<>();
        for (String query : queries) {
            before.add(rows(query));
        }
        // Spoil the read models, so that only a real rebuild brings them back.
        try (Connection admin = database.connect(); Statement statement = admin.createStatement()) {
            statement.execute("update qs_job_status set state = 'spoiled', savepoint_generation = 99");
            statement.execute("delete from qs_audit where action like 'control:%'");
            statement.execute("update qs_savepoint set outcome = 'spoiled'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        TrackingEventProcessor processor = service.bean(EventProcessingConfiguration.class)
                .eventProcessor(QueryProjections.PROCESSING_GROUP, TrackingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !processor.isReplaying() && auditRows().size() == 5);
        for (int i = 0; i < queries.length; i++) {
            assertThat(rows(queries[i])).as(queries[i]).isEqualTo(before.get(i));
        }
    }
}

package dev.savepoints.app;

import static dev.savepoints.app.BadInputSupport.CONTROL;
import static dev.savepoints.app.BadInputSupport.WAIT;
import static dev.savepoints.app.BadInputSupport.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue #7: malformed and hostile inputs, one row each, against one running service (bridge on a mock API server,
 * REST with a token, a real PostgreSQL). Each row gets a clear error (a Warning Event and the status, or a 4xx
 * problem+json answer); after each the service is healthy and the baseline job's events and status are unchanged.
 * The table is listed in docs/bad-input.md.
 */
class BadInputCatalogueTest {

    /** One bad input: what is sent, and what the user sees. */
    record Row(String id, String category, String input, String expected, Check check) {
    }

    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    private static final String TOKEN = "catalogue-token-0123456789abcdef";
    private static final String BEARER = "Bearer " + TOKEN;
    private static final String DIR = "\"savepointsDir\":\"gs://bucket/savepoints\"";
    private static final JobId BASELINE = JobId.of("default", "baseline");
    private static final String BASELINE_PATH = "/api/v1/namespaces/default/flinkclusters/baseline";

    private static MockApiServer api;
    private static ServiceInstance service;
    private static StoredEvents events;
    private static BadInputSupport io;
    private static List<StoredEvents.Stored> baselineEvents;
    private static JsonNode baselineStatus;
    private static JsonNode baselineRest;
    private static JsonNode baselineHistory;

    @BeforeAll
    static void startWithABaselineJob() throws Exception {
        api = new MockApiServer();
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("bad_input");
        events = new StoredEvents(database);
        io = new BadInputSupport(api);
        service = ServiceInstance.startWeb(database, "savepoints.k8s.enabled=true",
                "savepoints.k8s.master-url=" + api.masterUrl(),
                "savepoints.flink.job-manager-url-template=http://127.0.0.1:1",
                // no Flink answers here: the baseline must not turn Unknown while the rows run (the rounds are 5 s)
                "savepoints.flink.unreachable-after-rounds=1000",
                "savepoints.query.tokens.ci-bot=" + TOKEN);
        io.port(service.port());
        // A healthy job with one completed savepoint: what every row must leave as it is.
        io.create(BASELINE.name(), "{\"job\":{" + DIR + ",\"restartPolicy\":\"FromSavepointOnFailure\"}}");
        running(BASELINE, "0000000000000000000000000000ba5e");
        completeSavepointOfGeneration(BASELINE, 1);
        await().atMost(WAIT).until(() -> io.get(BASELINE_PATH + "/savepoints").body().at("/items/0/outcome").asText(),
                "COMPLETED"::equals);
        baselineEvents = events.of(BASELINE.toString());
        baselineStatus = io.json(BASELINE.name()).at("/status");
        baselineRest = io.get(BASELINE_PATH).body();
        baselineHistory = io.get(BASELINE_PATH + "/savepoints").body();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (api != null) {
            api.close();
        }
    }

    private static void running(JobId job, String flinkJobId) {
        await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "JobRegistered").isEmpty());
        service.commands().sendAndWait(new RecordJobSubmitted(job, flinkJobId));
        service.commands().sendAndWait(new ReportJobState(job, flinkJobId, JobState.RUNNING, null));
        io.awaitField(job.name(), "/status/components/job/state", "Running");
    }

    /** Bumps spec.job.savepointGeneration and reports the savepoint completed, as the gateway would. */
    private static void completeSavepointOfGeneration(JobId job, int generation) {
        io.patch(job.name(), "{\"spec\":{\"job\":{\"savepointGeneration\":" + generation + "}}}");
        String trigger = await().atMost(WAIT).until(() -> events.ofType(job.toString(), "SavepointTriggered"),
                triggered -> triggered.size() >= generation).get(generation - 1).payload().get("triggerId").asText();
        service.commands().sendAndWait(new CompleteSavepoint(job, trigger, "gs://bucket/savepoints/sp-" + generation));
        io.awaitField(job.name(), "/status/components/job/savepointGeneration", Integer.toString(generation));
    }

    // ---- row builders ----

    /** A new FlinkCluster whose spec the service refuses: a Warning SpecRejected and status.control say why. */
    private static Row spec(String id, String input, String job, String why) {
        String name = id.toLowerCase();
        return new Row(id, "FlinkCluster", input, "Warning `SpecRejected` and `status.control` (update, Failed): `"
                + why + "`; the job is not registered", () -> {
            io.create(name, "{\"job\":" + job + "}");
            io.awaitWarning(name, "SpecRejected", why);
            JsonNode control = io.awaitField(name, "/status/control/message", why).at("/status/control");
            assertThat(control.at("/name").asText()).isEqualTo("update");
            assertThat(control.at("/state").asText()).isEqualTo("Failed");
            assertThat(events.ofType("default/" + name, "JobRegistered")).isEmpty();
        });
    }

    /** A REST call answered with a problem+json error. */
    private static Row rest(String id, String input, String method, String path, String token, String contentType,
                            String body, int status, String detail) {
        return new Row(id, "REST", input, "`" + status + "` problem+json: `" + detail + "`", () ->
                assertProblem(io.send(method, path, token, contentType, body), status, detail));
    }

    private static Row restGet(String id, String input, String path, String parameter, String detail) {
        return new Row(id, "REST", input, "`400` problem+json, `parameter` " + parameter + ": `" + detail + "`", () -> {
            BadInputSupport.Answer answer = io.get(path);
            assertProblem(answer, 400, detail);
            assertThat(answer.body().at("/parameter").asText()).isEqualTo(parameter);
        });
    }

    /** A filter value that is matched literally: 200 and no rows (no wildcard, no injection). */
    private static Row literal(String id, String input, String query) {
        return new Row(id, "REST", input, "`200`, no rows: the value is compared as a whole, never as SQL", () -> {
            BadInputSupport.Answer answer = io.get("/api/v1/savepoints?" + query);
            assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
            assertThat(answer.body().at("/items")).isEmpty();
            assertThat(io.get("/api/v1/audit?" + query).body().at("/items")).isEmpty();
        });
    }

    static List<Row> catalogue() {
        String big = "9".repeat(10);
        return List.of(
                spec("K01", "`autoSavepointSeconds: \"abc\"`", "{" + DIR + ",\"autoSavepointSeconds\":\"abc\"}",
                        "spec.job.autoSavepointSeconds must be a whole number"),
                spec("K02", "`autoSavepointSeconds: [60]` (a list)", "{" + DIR + ",\"autoSavepointSeconds\":[60]}",
                        "spec.job.autoSavepointSeconds must be a whole number"),
                spec("K03", "`autoSavepointSeconds: 9223372036854775808` (2^63)",
                        "{" + DIR + ",\"autoSavepointSeconds\":9223372036854775808}", "was 9223372036854775808"),
                spec("K04", "`autoSavepointSeconds: 1000000000000` (10^12)", "{" + DIR + ",\"autoSavepointSeconds\":1000000000000}",
                        "at most 2147483647, was 1000000000000"),
                spec("K05", "`autoSavepointSeconds: 1.5`", "{" + DIR + ",\"autoSavepointSeconds\":1.5}", "was 1.5"),
                spec("K06", "`autoSavepointSeconds: -10`", "{" + DIR + ",\"autoSavepointSeconds\":-10}",
                        "autoSavepointSeconds must not be negative, was -10"),
                spec("K07", "`restartPolicy: Sometimes` (unknown enum)", "{" + DIR + ",\"restartPolicy\":\"Sometimes\"}",
                        "spec.job.restartPolicy must be one of [Never, FromSavepointOnFailure], was \"Sometimes\""),
                spec("K08", "`savepointFormatType: ZIP` (unknown enum)", "{" + DIR + ",\"savepointFormatType\":\"ZIP\"}",
                        "spec.job.savepointFormatType must be one of [CANONICAL, NATIVE], was \"ZIP\""),
                spec("K09", "`allowNonRestoredState: \"yes\"`", "{" + DIR + ",\"allowNonRestoredState\":\"yes\"}",
                        "spec.job.allowNonRestoredState must be true or false"),
                spec("K10", "`savepointsDir: 42` (a number)", "{\"savepointsDir\":42}", "spec.job.savepointsDir must be a string"),
                spec("K11", "`savepointsDir: ftp://host/savepoints`", "{\"savepointsDir\":\"ftp://host/savepoints\"}",
                        "savepointsDir cannot use scheme 'ftp'"),
                spec("K12", "`savepointsDir: ../../etc`", "{\"savepointsDir\":\"../../etc\"}",
                        "savepointsDir must be an absolute path or a URI with a scheme"),
                spec("K13", "`savepointsDir: \"\"`", "{\"savepointsDir\":\"\"}", "savepointsDir must not be blank"),
                spec("K14", "`savepointsDir` of 10 kB", "{\"savepointsDir\":\"gs://b/" + "x".repeat(10_000) + "\"}",
                        "spec.job.savepointsDir is longer than 4096 characters"),
                spec("K15", "`savepointsDir: file:///tmp/../../etc`", "{\"savepointsDir\":\"file:///tmp/../../etc\"}",
                        "savepointsDir must not contain '..'"),
                spec("K16", "`spec.job: \"run-it\"` (not an object)", "\"run-it\"", "spec.job must be an object"),
                spec("K17", "`args: \"--fast\"` (not a list)", "{" + DIR + ",\"jarFile\":\"/j.jar\",\"args\":\"--fast\"}",
                        "spec.job.args must be a list of strings"),
                spec("K18", "`parallelism: 0`", "{" + DIR + ",\"jarFile\":\"/j.jar\",\"parallelism\":0}",
                        "parallelism must be at least 1, was 0"),
                spec("K19", "`savepointGeneration: -5`", "{" + DIR + ",\"savepointGeneration\":-5}",
                        "spec.job.savepointGeneration must not be negative, was -5"),
                new Row("K20", "FlinkCluster", "`spec.jobManager.ports.ui: \"http\"`",
                        "Warning `SpecRejected`: `spec.jobManager.ports.ui must be a whole number`", () -> {
                    io.create("k20", "{\"job\":{" + DIR + "},\"jobManager\":{\"ports\":{\"ui\":\"http\"}}}");
                    io.awaitWarning("k20", "SpecRejected", "spec.jobManager.ports.ui must be a whole number");
                }),
                new Row("K21", "FlinkCluster", "annotation `savepoints.dev/jobmanager-url` of 1 MB",
                        "Warning `SpecRejected`: `annotation savepoints.dev/jobmanager-url is longer than 4096 characters`; nothing stored", () -> {
                    io.create("k21", "{\"savepoints.dev/jobmanager-url\":\"http://h/" + "x".repeat(1 << 20) + "\"}",
                            "{\"job\":{" + DIR + "}}");
                    io.awaitWarning("k21", "SpecRejected", "annotation savepoints.dev/jobmanager-url is longer than 4096 characters");
                    assertThat(events.of("default/k21")).isEmpty();
                }),
                new Row("K22", "FlinkCluster", "an unrelated annotation of 1 MB",
                        "nothing: the job is registered and its status written as usual", () -> {
                    io.create("k22", "{\"example.com/notes\":\"" + "n".repeat(1 << 20) + "\"}", "{\"job\":{" + DIR + "}}");
                    io.awaitField("k22", "/status/components/job/state", "Pending");
                }),
                new Row("K23", "FlinkCluster", "`spec` without `job`",
                        "a session cluster: its Flink cluster is created (one Event `ClusterObjectsCreated`), no job is registered", () -> {
                    io.create("k23", "{\"image\":{\"name\":\"flink:1.20\"}}");
                    // the marker: the bridge takes changes in order, so once a job created after it is registered,
                    // the session cluster was looked at
                    io.create("k23-after", "{\"job\":{" + DIR + "}}");
                    await().atMost(WAIT).until(() -> !events.ofType("default/k23-after", "JobRegistered").isEmpty());
                    assertThat(events.of("default/k23")).isEmpty();
                    await().atMost(WAIT).until(() -> !api.eventsOf("default", "k23").isEmpty());
                    assertThat(api.eventsOf("default", "k23")).singleElement().satisfies(event -> {
                        assertThat(event.getReason()).isEqualTo("ClusterObjectsCreated");
                        assertThat(event.getMessage()).isEqualTo("created ConfigMap k23-configmap, StatefulSet k23-jobmanager, "
                                + "Service k23-jobmanager, Service k23-taskmanager, StatefulSet k23-taskmanager");
                    });
                }),
                new Row("K24", "FlinkCluster", "name `Odd_Name.X` (not a DNS label; the mock API server takes it)",
                        "registered under that name; REST finds it", () -> {
                    io.create("Odd_Name.X", "{\"job\":{" + DIR + "}}");
                    await().atMost(WAIT).until(() -> io.get("/api/v1/namespaces/default/flinkclusters/Odd_Name.X").status() == 200);
                }),
                new Row("K25", "FlinkCluster", "a registered job patched to `autoSavepointSeconds: {\"every\": 60}`",
                        "Warning `SpecRejected`; the previous settings stay in force (no JobSettingsChanged)", () -> {
                    io.create("k25", "{\"job\":{" + DIR + ",\"autoSavepointSeconds\":60}}");
                    await().atMost(WAIT).until(() -> !events.ofType("default/k25", "JobRegistered").isEmpty());
                    io.patch("k25", "{\"spec\":{\"job\":{\"autoSavepointSeconds\":{\"every\":60}}}}");
                    io.awaitWarning("k25", "SpecRejected", "spec.job.autoSavepointSeconds must be a whole number");
                    assertThat(events.ofType("default/k25", "JobSettingsChanged")).isEmpty();
                }),
                new Row("K26", "FlinkCluster", "`savepointGeneration` jumped from 0 to 1000 on a running job",
                        "Warning `SavepointRejected`, `status.savepoint` TriggerFailed: "
                                + "`savepointGeneration may only be set to status + 1 (1), was 1000`", () -> {
                    io.create("k26", "{\"job\":{" + DIR + "}}");
                    running(JobId.of("default", "k26"), "00000000000000000000000000000026");
                    io.patch("k26", "{\"spec\":{\"job\":{\"savepointGeneration\":1000}}}");
                    String why = "savepointGeneration may only be set to status + 1 (1), was 1000";
                    io.awaitWarning("k26", "SavepointRejected", why);
                    assertThat(io.awaitField("k26", "/status/savepoint/state", "TriggerFailed").at("/status/savepoint/message")
                            .asText()).isEqualTo(why);
                }),
                new Row("K27", "FlinkCluster", "`savepointGeneration` set back from 1 to 0",
                        "Warning `SavepointRejected`: `savepointGeneration may not go down (from 1 to 0)`; nothing recorded",
                        () -> {
                    JobId job = JobId.of("default", "k27");
                    io.create(job.name(), "{\"job\":{" + DIR + "}}");
                    running(job, "00000000000000000000000000000027");
                    completeSavepointOfGeneration(job, 1);
                    int before = events.of(job.toString()).size();
                    io.patch(job.name(), "{\"spec\":{\"job\":{\"savepointGeneration\":0}}}");
                    io.awaitWarning(job.name(), "SavepointRejected", "savepointGeneration may not go down (from 1 to 0)");
                    // the Warning comes before the bridge sends the resource's commands; the marker that they were
                    // sent (and decided nothing): a job created after it is registered, the bridge taking changes in order
                    io.create("k27-after", "{\"job\":{" + DIR + "}}");
                    await().atMost(WAIT).until(() -> !events.ofType("default/k27-after", "JobRegistered").isEmpty());
                    assertThat(events.of(job.toString())).hasSize(before);
                }),
                control("K28", "annotation `user-control: suspend` (unknown value)", "suspend", false,
                        "unknown control 'suspend'; expected savepoint or job-cancel"),
                control("K29", "annotation `user-control` of 1 MB", "s".repeat(1 << 20), false,
                        "…(1048576 characters)'; expected savepoint or job-cancel"),
                control("K30", "annotation `user-control: job-cancel` on a job that is not running", "job-cancel", true,
                        "the job is not running (state Pending)"),
                new Row("K31", "FlinkCluster", "`metadata.name` of 300 characters (the mock API server takes it)",
                        "Warning `SpecRejected`: `metadata.name is longer than 253 characters`; nothing stored", () -> {
                    String name = "n".repeat(300);
                    io.create(name, "{\"job\":{" + DIR + "}}");
                    io.awaitWarning(name, "SpecRejected", "metadata.name is longer than 253 characters");
                    assertThat(events.of("default/" + name)).isEmpty();
                }),
                new Row("K32", "FlinkCluster", "annotation `savepoints.dev/jobmanager-url: http://169.254.169.254/latest/meta-data`"
                        + " (a host no allow-list entry permits), then corrected to the cluster's Service",
                        "Warning `SpecRejected`: `the JobManager address may only name a host that "
                                + "savepoints.flink.job-manager-hosts permits (…), was '169.254.169.254'`; the corrected "
                                + "annotation registers the job", () -> {
                    JobId job = JobId.of("default", "k32");
                    io.create(job.name(), "{\"savepoints.dev/jobmanager-url\":\"http://169.254.169.254/latest/meta-data\"}",
                            "{\"job\":{" + DIR + "}}");
                    io.awaitWarning(job.name(), "SpecRejected", "the JobManager address may only name a host that "
                            + "savepoints.flink.job-manager-hosts permits (.svc, .svc.cluster.local, ");
                    io.awaitWarning(job.name(), "SpecRejected", "was '169.254.169.254'");
                    assertThat(events.ofType(job.toString(), "JobRegistered")).isEmpty();
                    io.patch(job.name(), "{\"metadata\":{\"annotations\":{\"savepoints.dev/jobmanager-url\":"
                            + "\"http://k32-jobmanager.default.svc:8081\"}}}");
                    await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "JobRegistered").isEmpty());
                    assertThat(events.ofType(job.toString(), "JobRegistered").get(0).payload()
                            .at("/settings/jobManagerUrl").asText()).isEqualTo("http://k32-jobmanager.default.svc:8081");
                }),

                restGet("R01", "job name blank (`%20`)", "/api/v1/namespaces/default/flinkclusters/%20/savepoints", "name",
                        "must be non-blank"),
                rest("R02", "unknown job", "GET", "/api/v1/namespaces/default/flinkclusters/nope", null, null, null, 404,
                        "no FlinkCluster default/nope is known"),
                restGet("R03", "`limit=-1`", "/api/v1/savepoints?limit=-1", "limit", "limit must be between 1 and 500"),
                restGet("R04", "`limit=" + big + "` (over 2^31)", "/api/v1/audit?limit=" + big, "limit", "is not a valid value"),
                restGet("R05", "`limit=abc`", "/api/v1/flinkclusters?limit=abc", "limit", "'abc' is not a valid value for limit"),
                restGet("R06", "`cursor=%%%%` (not base64)", "/api/v1/savepoints?cursor=%25%25", "cursor", "not one this service gave out"),
                restGet("R07", "a base64 cursor of another shape", "/api/v1/savepoints?cursor=eHx5", "cursor", "cursor"),
                literal("R08", "`actor=' OR 1=1 --`", "actor=%27%20OR%201%3D1%20--"),
                literal("R09", "`actor=%` (a SQL wildcard)", "actor=%25"),
                literal("R10", "`actor=😀ß` (unicode)", "actor=%F0%9F%98%80%C3%9F"),
                restGet("R11", "`actor=%00` (a NUL character)", "/api/v1/audit?actor=a%00b", "actor",
                        "actor must not contain control characters"),
                restGet("R12", "`outcome=COMPLETED' OR '1'='1`", "/api/v1/savepoints?outcome=COMPLETED%27%20OR%20%271%27%3D%271",
                        "outcome", "outcome must be one of"),
                restGet("R13", "`state=Exploded` (unknown enum)", "/api/v1/flinkclusters?state=Exploded", "state", "state must be one of"),
                restGet("R14", "`since=yesterday`", "/api/v1/savepoints?since=yesterday", "since", "ISO-8601"),
                rest("R15", "POST without a token", "POST", BASELINE_PATH + "/savepoints", null, null, null, 401,
                        "a valid bearer token is needed"),
                rest("R16", "POST with an unknown token", "POST", BASELINE_PATH + "/savepoints", "Bearer nope", null, null, 401,
                        "a valid bearer token is needed"),
                rest("R17", "POST with `Authorization: Basic …`", "POST", BASELINE_PATH + "/savepoints", "Basic Y2k6Ym90", null,
                        null, 401, "a valid bearer token is needed"),
                spec("K33", "`retention: {maxCount: -3}`", "{" + DIR + ",\"retention\":{\"maxCount\":-3}}",
                        "spec.job.retention.maxCount must not be negative, was -3"),
                spec("K34", "`retention: {maxAgeSeconds: \"1d\"}`", "{" + DIR + ",\"retention\":{\"maxAgeSeconds\":\"1d\"}}",
                        "spec.job.retention.maxAgeSeconds must be a whole number"),
                spec("K35", "`retention: keep-all` (not an object)", "{" + DIR + ",\"retention\":\"keep-all\"}",
                        "spec.job.retention must be an object"),
                rest("R18", "POST with a body of 1 MB", "POST", BASELINE_PATH + "/savepoints", BEARER, "application/json",
                        "{\"x\":\"" + "x".repeat(1 << 20) + "\"}", 413, "the request body may have at most"),
                rest("R19", "POST with malformed JSON", "POST", BASELINE_PATH + "/savepoints", BEARER, "application/json",
                        "{\"reason\":", 400, "the request body is not valid JSON"),
                rest("R20", "POST with `Content-Type: text/plain`", "POST", BASELINE_PATH + "/savepoints", BEARER, "text/plain",
                        "savepoint please", 415, "application/json"),
                rest("R21", "POST with an unknown field `targetDirectory`", "POST", BASELINE_PATH + "/savepoints", BEARER,
                        "application/json", "{\"targetDirectory\":\"/tmp/x\"}", 400, "unknown field 'targetDirectory'"),
                rest("R22", "POST for an unknown job", "POST", "/api/v1/namespaces/default/flinkclusters/nope/savepoints", BEARER,
                        null, null, 404, "no FlinkCluster default/nope is known"),
                rest("R23", "DELETE on a job (wrong method)", "DELETE", BASELINE_PATH, BEARER, null, null, 405, "DELETE"),
                rest("R24", "PUT on `/savepoints` (wrong method)", "PUT", "/api/v1/savepoints", BEARER, "application/json", "{}",
                        405, "PUT"),
                rest("R25", "path traversal `/api/v1/%2e%2e/%2e%2e/etc/passwd`", "GET", "/api/v1/%2e%2e/%2e%2e/etc/passwd",
                        null, null, null, 400, "rejected"),
                rest("R26", "encoded slash in a name `..%2F..%2Fetc`", "GET",
                        "/api/v1/namespaces/default/flinkclusters/..%2F..%2Fetc", null, null, null, 400, "rejected"),
                rest("R27", "unknown path", "GET", "/api/v1/nothing-here", null, null, null, 404, "nothing-here"),
                rest("R28", "a NUL in a path name `a%00b`", "GET", "/api/v1/namespaces/default/flinkclusters/a%00b", null, null,
                        null, 400, "rejected"),
                rest("R29", "disposal without a token", "POST", BASELINE_PATH + "/savepoints/abc/disposal", null, null, null,
                        401, "a valid bearer token is needed"),
                // on another job than the baseline: a refused disposal is recorded, for the audit
                rest("R30", "disposal of a savepoint the job does not keep", "POST",
                        "/api/v1/namespaces/default/flinkclusters/k22/savepoints/abc/disposal",
                        BEARER, null, null, 409, "savepoint abc is not retained"),
                rest("R31", "pin for an unknown job", "PUT", "/api/v1/namespaces/default/flinkclusters/nope/savepoints/abc/pin",
                        BEARER, null, null, 404, "no FlinkCluster default/nope is known"),
                // the history pages check their parameters as the REST API does, and answer the same problems
                restGet("R32", "history page `sort=<script>`", "/ui?sort=%3Cscript%3E", "sort",
                        "sort must be one of [name, state, age, staleness], was '<script>'"),
                restGet("R33", "history page `page=-1`", "/ui?page=-1", "page", "page must be between 0 and 100000, was -1"),
                restGet("R34", "job page `window=1y`", "/ui/namespaces/default/flinkclusters/nope/timeline?window=1y",
                        "window", "window must be one of [5m, 15m, 1h, 6h, 24h, 7d], was '1y'"),
                restGet("R35", "audit page `outcome=MAYBE`", "/ui/audit?outcome=MAYBE", "outcome",
                        "outcome must be one of [FAILED, NONE, SUCCEEDED], was 'MAYBE'"));
    }

    /** A control annotation on a registered job, refused: Warning ControlRejected, status.control, annotation removed. */
    private static Row control(String id, String input, String value, boolean pending, String why) {
        String name = id.toLowerCase();
        return new Row(id, "FlinkCluster", input, "Warning `ControlRejected` and `status.control` Failed: `"
                + why + "`; the annotation is removed", () -> {
            io.create(name, "{\"job\":{" + DIR + "}}");
            JobId job = JobId.of("default", name);
            if (pending) {
                await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "JobRegistered").isEmpty());
            } else {
                running(job, "000000000000000000000000000000" + id.substring(1));
            }
            io.patch(name, "{\"metadata\":{\"annotations\":{\"" + CONTROL + "\":\"" + value + "\"}}}");
            io.awaitWarning(name, "ControlRejected", why);
            io.awaitField(name, "/status/control/message", why);
            await().atMost(WAIT).until(() -> io.json(name).at("/metadata/annotations").path(CONTROL).isMissingNode());
            assertThat(payloadBytes(job.toString())).isLessThan(20_000);
        });
    }

    private static long payloadBytes(String jobId) {
        return events.count("select coalesce(max(length(payload)), 0) from domain_event_entry where aggregate_identifier = '"
                + jobId + "'");
    }

    /** No event processor is stuck on what the row recorded (a projection that fails retries forever). */
    private static void awaitProcessorsCaughtUp(String id) {
        long head = events.count("select coalesce(max(global_index), 0) from domain_event_entry");
        var processing = service.bean(EventProcessingConfiguration.class);
        await().atMost(Duration.ofSeconds(15)).alias("event processors caught up after " + id).until(() ->
                processing.eventProcessors().values().stream().filter(TrackingEventProcessor.class::isInstance)
                        .map(TrackingEventProcessor.class::cast).allMatch(processor -> !processor.processingStatus().isEmpty()
                                && processor.processingStatus().values().stream().allMatch(segment -> !segment.isErrorState()
                                        && segment.getCurrentPosition().orElse(0) >= head)));
    }

    @TestFactory
    Stream<DynamicTest> eachBadInputGetsAClearErrorAndChangesNothingRecorded() {
        return catalogue().stream().map(row -> DynamicTest.dynamicTest(row.id() + " " + row.input(), () -> {
            row.check().run();
            awaitProcessorsCaughtUp(row.id());
            BadInputSupport.Answer health = io.get("/actuator/health");
            assertThat(health.status()).as("health after " + row.id()).isEqualTo(200);
            assertThat(health.body().at("/status").asText()).isEqualTo("UP");
            assertThat(events.of(BASELINE.toString())).as("the baseline's events after " + row.id()).isEqualTo(baselineEvents);
            assertThat(io.json(BASELINE.name()).at("/status")).as("the baseline's status").isEqualTo(baselineStatus);
            assertThat(io.get(BASELINE_PATH).body()).as("the baseline over REST").isEqualTo(baselineRest);
            assertThat(io.get(BASELINE_PATH + "/savepoints").body()).isEqualTo(baselineHistory);
        }));
    }

    @Test
    void theCatalogueHasAtLeastThirtyRowsAndDocsListEachOfThem() throws Exception {
        List<Row> rows = catalogue();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(30);
        assertThat(rows.stream().map(Row::id).distinct()).hasSameSizeAs(rows);
        String docs = Files.readString(Path.of("..", "docs", "bad-input.md"));
        assertThat(rows).allSatisfy(row -> assertThat(docs).as(row.id()).contains("| " + row.id() + " |"));
    }
}

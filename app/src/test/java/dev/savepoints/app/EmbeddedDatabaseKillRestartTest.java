package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.command.api.JobId;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterSpec;
import dev.savepoints.k8s.model.JobSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.util.FileSystemUtils;

/**
 * The default install, as a user runs it: the service as a process of its own on its own embedded PostgreSQL
 * (no {@code spring.datasource.url}; a data directory of this test), SIGKILLed and started again on the same
 * directory. Its server stops with it (the watchdog), a server left behind all the same (the watchdog killed too)
 * is stopped by the next start, and a second service on a directory in use exits at once saying why. Each
 * restart is healthy and has everything that was recorded before the kill: the registered job, a refused REST
 * request, every event. The mock API server stands in for Kubernetes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedDatabaseKillRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JobId JOB = JobId.of("default", "kept-across-kills");
    private static final String TOKEN = "embedded-kill-test-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static Path data;
    private static int postgresPort;
    private static MockApiServer api;
    private static ServiceProcess service;
    private static int starts;
    private static String registeredAt;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("embedded-kill").toRealPath(); // as the service names it
        data = work.resolve("postgres");
        try (ServerSocket socket = new ServerSocket(0)) {
            postgresPort = socket.getLocalPort();
        }
        api = new MockApiServer();
        service = startService();
        api.kubectl.resource(manifest()).create();
        registeredAt = await().atMost(WAIT).until(EmbeddedDatabaseKillRestartTest::registeredAt, Optional::isPresent).get();
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close(); // SIGTERM: the service stops its server last
            await().atMost(WAIT).until(() -> !Files.exists(data.resolve("postmaster.pid")));
        }
        api.close();
        FileSystemUtils.deleteRecursively(work);
    }

    private static ServiceProcess startService() throws Exception {
        return ServiceProcess.start(logName("service-" + ++starts), "embedded-" + starts, List.of(
                "savepoints.db.embedded-data-directory=" + data,
                "savepoints.db.embedded-port=" + postgresPort,
                "savepoints.k8s.enabled=true",
                "savepoints.k8s.master-url=" + api.masterUrl(),
                "savepoints.k8s.lease-duration=3s",
                "savepoints.flink.job-manager-url-template=http://127.0.0.1:1",
                "savepoints.query.tokens.kill-tester=" + TOKEN));
    }

    /** A log of its own each run (ServiceProcess appends to target/service-processes/{name}.log). */
    private static String logName(String name) throws Exception {
        String full = "embedded-kill-" + name;
        Files.deleteIfExists(log(full));
        return full;
    }

    private static Path log(String name) {
        return Path.of("target", "service-processes", name + ".log").toAbsolutePath();
    }

    private static FlinkCluster manifest() {
        JobSpec job = new JobSpec();
        job.setSavepointsDir(work.resolve("savepoints").toUri().toString());
        FlinkClusterSpec spec = new FlinkClusterSpec();
        spec.setJob(job);
        FlinkCluster cluster = new FlinkCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(JOB.name()).withNamespace(JOB.namespace()).build());
        cluster.setSpec(spec);
        return cluster;
    }

    @Test
    @Order(1)
    void aSecondServiceOnTheDirectoryInUseExitsAtOnceSayingWhoOwnsIt() throws Exception {
        long postmaster = postmasterPid();
        long started = System.nanoTime();
        String name = logName("second");

        assertThatThrownBy(() -> ServiceProcess.start(name, "embedded-second", List.of(
                "savepoints.db.embedded-data-directory=" + data, "savepoints.k8s.enabled=false")))
                .hasMessageContaining("ended with 1 while starting");

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("no wait for a server that cannot start (it was 60 s)").isLessThan(Duration.ofSeconds(25));
        assertThat(Files.readString(log(name)))
                .contains("APPLICATION FAILED TO START")
                .contains("The embedded PostgreSQL's data directory " + data + " is in use by a service that is"
                        + " running: pid " + service.pid())
                .contains("Stop that service first, or give this one a data directory of its own"
                        + " (savepoints.db.embedded-data-directory) or a database (spring.datasource.url).")
                .doesNotContain("postmaster.pid already exists");
        assertThat(health(service)).contains("\"status\":\"UP\"");
        assertThat(postmasterPid()).as("the owner's server untouched").isEqualTo(postmaster);
        System.err.println("second service on the directory in use exited after " + took.toMillis() + " ms");
    }

    @Test
    @Order(2)
    void killedTheServiceTakesItsServerWithItAndTheNextStartIsHealthyWithEverythingKept() throws Exception {
        Recorded before = recordSomethingAndRead();
        long postmaster = postmasterPid();
        long killed = service.pid();

        service.kill();
        awaitGone(postmaster, "the server of the killed service, stopped by its watchdog");
        assertThat(data.resolve("postmaster.pid")).as("a clean shutdown").doesNotExist();

        service = startService();
        assertThat(health(service)).contains("\"status\":\"UP\"");
        assertKept(before);
        assertThat(Files.readString(log(currentLog()))).contains("The previous service on " + data + " (pid " + killed + ", started ")
                .contains(") did not stop cleanly: it was killed, or it crashed")
                .as("no server was left for it to stop").doesNotContain("Stopping it (fast shutdown)");
    }

    @Test
    @Order(3)
    void aServerLeftRunningWhenItsWatchdogDiedTooIsStoppedCleanlyByTheNextStart() throws Exception {
        Recorded before = recordSomethingAndRead();
        long postmaster = postmasterPid();
        List<ProcessHandle> watchdogs = ProcessHandle.of(service.pid()).orElseThrow().children()
                .filter(child -> child.info().arguments().map(List::of).orElse(List.of())
                        .contains("savepoints-postgres-watchdog")).toList();
        assertThat(watchdogs).as("the service's watchdog").hasSize(1);

        // as before the watchdog: nothing stops the server when the service dies
        watchdogs.get(0).destroyForcibly();
        watchdogs.get(0).onExit().join();
        service.kill();
        Thread.sleep(1_000);
        assertThat(ProcessHandle.of(postmaster)).as("the server left running").get().matches(ProcessHandle::isAlive);

        service = startService();
        awaitGone(postmaster, "the leftover server");
        assertThat(health(service)).contains("\"status\":\"UP\"");
        assertKept(before);
        assertThat(Files.readString(log(currentLog())))
                .contains("A PostgreSQL (pid " + postmaster + ", started ")
                .contains("still runs on " + data + ": the earlier run that started it ended without stopping it."
                        + " Stopping it (fast shutdown) before starting a new one")
                .containsPattern("The leftover PostgreSQL \\(pid " + postmaster + "\\) stopped in \\d+ ms")
                .doesNotContain("postmaster.pid already exists");
    }

    /** What the service had recorded: the job's events, the audit log of refused requests. */
    private record Recorded(List<String> events, List<String> refusals) {
    }

    /**
     * A REST request the service refuses (the job does not run) and records as a decision, answered just before
     * the kill; then what is recorded.
     */
    private static Recorded recordSomethingAndRead() throws Exception {
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                        + "/api/v1/namespaces/" + JOB.namespace() + "/flinkclusters/" + JOB.name() + "/savepoints"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        List<String> events = events();
        assertThat(events).last().asString().endsWith("SavepointRejected");
        List<String> refusals = await().atMost(WAIT).until(EmbeddedDatabaseKillRestartTest::refusals,
                r -> r.size() == events.stream().filter(e -> e.endsWith("SavepointRejected")).count());
        return new Recorded(events, refusals);
    }

    private static void assertKept(Recorded before) throws Exception {
        assertThat(registeredAt()).as("the job as REST shows it").contains(registeredAt);
        assertThat(events()).as("every event").startsWith(before.events().toArray(String[]::new));
        assertThat(refusals()).as("the audit log").containsAll(before.refusals());
    }

    private static List<String> events() {
        return new StoredEvents(database()).rows("select global_index || ' ' || payload_type from domain_event_entry"
                + " where aggregate_identifier = '" + JOB + "' order by sequence_number");
    }

    private static List<String> refusals() throws Exception {
        HttpResponse<String> audit = service.get("/api/v1/audit?actor=kill-tester&decision=REJECTED");
        assertThat(audit.statusCode()).isEqualTo(200);
        List<String> items = new ArrayList<>();
        JSON.readTree(audit.body()).path("items").forEach(item -> items.add(item.path("sequence").asText() + " " + item.path("action").asText() + " " + item.path("reason").asText()));
        return items;
    }

    private static Optional<String> registeredAt() throws Exception {
        HttpResponse<String> job = service.get("/api/v1/namespaces/" + JOB.namespace() + "/flinkclusters/" + JOB.name());
        return job.statusCode() == 200
                ? Optional.of(JSON.readTree(job.body()).path("registeredAt").asText())
                : Optional.empty();
    }

    private static PostgresTestDatabase.Database database() {
        return new PostgresTestDatabase.Database("jdbc:postgresql://localhost:" + postgresPort + "/postgres", "postgres", "");
    }

    private static long postmasterPid() throws Exception {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    }

    private static void awaitGone(long pid, String what) {
        ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(pid)).as(what + " (pid " + pid + ")").isEmpty();
    }

    private static String currentLog() {
        return "embedded-kill-service-" + starts;
    }

    private static String health(ServiceProcess process) throws Exception {
        HttpResponse<String> health = process.get("/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        return health.body();
    }
}

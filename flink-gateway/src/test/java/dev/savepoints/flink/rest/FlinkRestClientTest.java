package dev.savepoints.flink.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.savepoints.flink.test.FlinkTestCluster;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST client against a real Flink JobManager, and against the faults Flink cannot be made to show. */
class FlinkRestClientTest {

    private static FlinkTestCluster flink;
    private static FlinkRestClient client;
    private static UploadedJar jar;

    @TempDir
    Path work;

    @BeforeAll
    static void startFlink() throws Exception {
        flink = FlinkTestCluster.start();
        client = client(flink.restAddress(), Duration.ofSeconds(10));
        jar = client.uploadJar(FlinkTestCluster.countingJobJar(), "counting-job.jar");
    }

    @AfterAll
    static void stopFlink() throws Exception {
        flink.close();
    }

    static FlinkRestClient client(URI base, Duration timeout) {
        return new FlinkRestClient(base, HttpClient.newHttpClient(), new ObjectMapper(), timeout);
    }

    private String runCountingJob(Path out, Path failMarker, String savepointPath) {
        List<String> args = failMarker == null
                ? List.of("--out", out.toString(), "--delay-ms", "10")
                : List.of("--out", out.toString(), "--fail-marker", failMarker.toString(), "--delay-ms", "10");
        String jobId = client.runJar(jar.id(), new JarRun("dev.savepoints.flink.testjob.CountingJob", args, 1, null,
                savepointPath, false));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.job(jobId).tasksRunning() && Files.exists(out));
        assertThat(client.job(jobId).state()).isEqualTo("RUNNING");
        return jobId;
    }

    private static String triggerId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private SavepointStatus awaitResult(String jobId, String triggerId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> client.savepointStatus(jobId, triggerId),
                status -> status.state() != SavepointStatus.State.IN_PROGRESS);
    }

    /** The job must have stopped writing into the test's temporary directory before JUnit deletes it. */
    private static void cancelAndWait(String jobId) {
        client.cancel(jobId);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.job(jobId).globallyTerminal());
    }

    private static long count(Path out) throws Exception {
        return Long.parseLong(Files.readString(out).trim());
    }

    @Test
    void theOverviewNamesTheVersionAndSlots() {
        ClusterOverview overview = client.overview();
        assertThat(overview.flinkVersion()).isNotBlank();
        assertThat(overview.slotsTotal()).isEqualTo(4);
        assertThat(client.jars()).extracting(UploadedJar::id).contains(jar.id());
    }

    @Test
    void aSavepointIsTakenOnceForOneTriggerIdAndItsLocationExists() throws Exception {
        String jobId = runCountingJob(work.resolve("count"), null, null);
        Path target = work.resolve("savepoints");
        String triggerId = triggerId();

        String first = client.triggerSavepoint(jobId, target.toUri().toString(), "CANONICAL", triggerId);
        String again = client.triggerSavepoint(jobId, target.toUri().toString(), "CANONICAL", triggerId);
        assertThat(again).isEqualTo(first).isEqualTo(triggerId);

        SavepointStatus status = awaitResult(jobId, triggerId);
        assertThat(status.state()).isEqualTo(SavepointStatus.State.COMPLETED);
        assertThat(Path.of(URI.create(status.location()))).isDirectory().startsWith(target);
        try (var savepoints = Files.list(target)) {
            assertThat(savepoints.count()).as("one savepoint for one trigger id").isEqualTo(1);
        }
        cancelAndWait(jobId);
    }

    @Test
    void aSavepointIntoAnUnwritableDirectoryFailsWithFlinksCause() throws Exception {
        String jobId = runCountingJob(work.resolve("count"), null, null);
        Path notADirectory = Files.writeString(work.resolve("a-file"), "x");
        String triggerId = triggerId();
        client.triggerSavepoint(jobId, notADirectory.resolve("savepoints").toUri().toString(), "CANONICAL", triggerId);

        SavepointStatus status = awaitResult(jobId, triggerId);
        assertThat(status.state()).isEqualTo(SavepointStatus.State.FAILED);
        assertThat(status.failureCause()).isNotBlank().containsIgnoringCase("exception");
        cancelAndWait(jobId);
    }

    @Test
    void stopWithSavepointEndsTheJobAndARunFromItContinuesTheCount() throws Exception {
        Path out = work.resolve("count");
        String jobId = runCountingJob(out, null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(out) >= 20);
        String triggerId = triggerId();
        client.stopWithSavepoint(jobId, work.resolve("final").toUri().toString(), "CANONICAL", triggerId);

        SavepointStatus status = awaitResult(jobId, triggerId);
        assertThat(status.state()).isEqualTo(SavepointStatus.State.COMPLETED);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.job(jobId).globallyTerminal());
        assertThat(client.job(jobId).state()).isEqualTo("FINISHED");
        long atStop = count(out);

        Path restoredOut = work.resolve("count-restored");
        String restored = runCountingJob(restoredOut, null, status.location());
        await().atMost(Duration.ofSeconds(30)).until(() -> count(restoredOut) > atStop);
        assertThat(count(restoredOut)).as("the restored job counts on from its savepoint").isGreaterThan(atStop);
        cancelAndWait(restored);
        assertThat(client.job(restored).state()).isEqualTo("CANCELED");
    }

    @Test
    void aFailedJobReportsItsRootCause() throws Exception {
        Path marker = work.resolve("fail");
        String jobId = runCountingJob(work.resolve("count"), marker, null);
        Files.writeString(marker, "now");
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(client.job(jobId).state()));
        assertThat(client.rootCause(jobId)).contains("IllegalStateException").contains("failure injected by " + marker);
    }

    @Test
    void aRunWithTheCallersJobIdIsNotStartedTwice() throws Exception {
        Path out = work.resolve("count");
        String flinkJobId = triggerId();
        JarRun run = new JarRun("dev.savepoints.flink.testjob.CountingJob", List.of("--out", out.toString()), 1,
                flinkJobId, null, false);
        assertThat(client.runJar(jar.id(), run)).isEqualTo(flinkJobId);
        assertThatThrownBy(() -> client.runJar(jar.id(), run)).isInstanceOf(FlinkCallFailed.class)
                .satisfies(e -> assertThat(((FlinkCallFailed) e).retryable()).isFalse());
        assertThat(client.jobs()).filteredOn(job -> job.id().equals(flinkJobId)).hasSize(1);
        cancelAndWait(flinkJobId);
    }

    @Test
    void anUnknownJobIsNotFound() {
        assertThatThrownBy(() -> client.job("00000000000000000000000000000000"))
                .isInstanceOfSatisfying(FlinkCallFailed.class, e -> {
                    assertThat(e.kind()).isEqualTo(FlinkCallFailed.Kind.NOT_FOUND);
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void aJobManagerThatIsNotThereIsUnreachableAndRetryable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThatThrownBy(() -> client(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2)).overview())
                .isInstanceOfSatisfying(FlinkCallFailed.class, e -> {
                    assertThat(e.kind()).isEqualTo(FlinkCallFailed.Kind.UNREACHABLE);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("GET /overview").contains(Integer.toString(port));
                });
    }

    @Test
    void aJobManagerThatDoesNotAnswerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts connections, never answers
            assertThatThrownBy(() -> client(URI.create("http://127.0.0.1:" + silent.getLocalPort()), Duration.ofMillis(300)).overview())
                    .isInstanceOfSatisfying(FlinkCallFailed.class, e -> {
                        assertThat(e.kind()).isEqualTo(FlinkCallFailed.Kind.TIMEOUT);
                        assertThat(e.retryable()).isTrue();
                    });
        }
    }

    @Test
    void aJobManagerElectingItsLeaderIsUnavailableAndRetryable() throws Exception {
        HttpServer electing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        electing.createContext("/", exchange -> {
            byte[] body = "{\"errors\":[\"Service temporarily unavailable due to an ongoing leader election. Please refresh.\"]}".getBytes();
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        electing.start();
        try {
            assertThatThrownBy(() -> client(URI.create("http://127.0.0.1:" + electing.getAddress().getPort()), Duration.ofSeconds(2))
                    .triggerSavepoint("00000000000000000000000000000001", "file:///tmp/sp", "CANONICAL", triggerId()))
                    .isInstanceOfSatisfying(FlinkCallFailed.class, e -> {
                        assertThat(e.kind()).isEqualTo(FlinkCallFailed.Kind.UNAVAILABLE);
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.getMessage()).contains("answered 503: Service temporarily unavailable due to an ongoing leader election");
                    });
        } finally {
            electing.stop(0);
        }
    }
}

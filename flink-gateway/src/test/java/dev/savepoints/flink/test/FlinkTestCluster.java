package dev.savepoints.flink.test;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.flink.rest.FlinkRestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A real Flink for tests: a MiniCluster (JobManager and TaskManager in this JVM) serving the full JobManager
 * REST API, jar upload and run included, on a free localhost port.
 */
public final class FlinkTestCluster implements AutoCloseable {

    private final MiniCluster cluster;
    private final URI restAddress;
    private final Path workDirectory;

    private FlinkTestCluster(MiniCluster cluster, URI restAddress, Path workDirectory) {
        this.cluster = cluster;
        this.restAddress = restAddress;
        this.workDirectory = workDirectory;
    }

    public static FlinkTestCluster start() throws Exception {
        return start(0);
    }

    /** Starts on {@code port} (0: any free port); a fixed port lets a test stop Flink and bring it back. */
    public static FlinkTestCluster start(int port) throws Exception {
        Path work = Files.createTempDirectory("flink-test-cluster");
        Configuration configuration = Configuration.fromMap(Map.of(
                "rest.bind-address", "127.0.0.1",
                "rest.address", "127.0.0.1",
                "rest.bind-port", Integer.toString(port),
                "web.submit.enable", "true",
                "web.upload.dir", work.resolve("uploads").toString(),
                // GET /jobs/{id} is cached for this long; the default (3 s) hides state changes from the tests.
                "web.refresh-interval", "100",
                // Results of savepoint triggers and disposals nobody fetched (a crash test loses answers on purpose)
                // hold up the shutdown until they expire: below the 30 s the shutdown waits.
                "rest.async.store-duration", "20 s",
                "taskmanager.memory.managed.size", "64m",
                "execution.checkpointing.savepoint-dir", work.resolve("default-savepoints").toUri().toString(),
                // state on the file system, as in production: the JobManager's memory holds at most 5 MB
                "execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString()));
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(4)
                .build());
        cluster.start();
        URI rest = URI.create("http://127.0.0.1:" + cluster.getRestAddress().get().getPort());
        awaitReady(rest);
        return new FlinkTestCluster(cluster, rest, work);
    }

    /** Right after start the REST API answers 503 while the JobManager elects its leader. */
    private static void awaitReady(URI rest) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest overview = HttpRequest.newBuilder(URI.create(rest + "/overview")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(overview, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && !response.body().contains("\"slots-total\":0")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Flink's REST API at " + rest + " did not become ready within 60 s");
    }

    /** The JobManager REST API, e.g. {@code http://127.0.0.1:41234}. */
    public URI restAddress() {
        return restAddress;
    }

    /** A client of this cluster's REST API, as a user or a test calls it directly (not through the service). */
    public FlinkRestClient restClient() {
        return new FlinkRestClient(restAddress, HttpClient.newHttpClient(), new ObjectMapper(), Duration.ofSeconds(10));
    }

    public Path workDirectory() {
        return workDirectory;
    }

    /** The jar of {@code dev.savepoints.flink.testjob.CountingJob}, built by flink-gateway's build. */
    public static Path countingJobJar() {
        String jar = System.getProperty("counting.job.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the counting job jar is missing (system property counting.job.jar: " + jar
                    + "); it is built by flink-gateway in the process-test-classes phase");
        }
        return Path.of(jar);
    }

    /**
     * Stops the cluster. Its REST endpoint waits for the results of asynchronous operations nobody fetched (a
     * trigger or disposal whose answer a crash test lost on purpose) until they expire, then says so: by then every
     * part is stopped, so that is no failure of the test.
     */
    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } catch (org.apache.flink.util.FlinkException e) {
            if (!(e.getCause() instanceof java.util.concurrent.TimeoutException timeout)
                    || !String.valueOf(timeout.getMessage()).startsWith("Waiting for results to be accessed")) {
                throw e;
            }
            System.err.println("Flink test cluster closed; " + timeout.getMessage());
        }
    }
}

package dev.savepoints.app;

import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.Source;
import dev.savepoints.flink.test.FlinkTestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;

/**
 * The local sandbox: the service on its embedded PostgreSQL, a local Flink (a MiniCluster with the JobManager's
 * REST API) and a small stateful job registered with automatic savepoints, all in one process under a temporary
 * directory that is deleted when it stops. Run it with {@code ./mvnw -Psandbox verify} (see docs/sandbox.md);
 * Ctrl-C stops it.
 */
public final class Sandbox implements AutoCloseable {

    static final JobId JOB = JobId.of("sandbox", "counting");

    private final Path work;
    private final FlinkTestCluster flink;
    private final ServiceInstance service;
    private final String token;
    private boolean closed;

    private Sandbox(Path work, FlinkTestCluster flink, ServiceInstance service, String token) {
        this.work = work;
        this.flink = flink;
        this.service = service;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        quiet("org.apache.flink", "org.apache.pekko", "org.apache.flink.shaded");
        int port = Integer.getInteger("sandbox.port", 8080);
        int interval = Integer.getInteger("sandbox.interval-seconds", 10);
        Sandbox sandbox = start(port, interval);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the sandbox ...");
            sandbox.close();
            System.out.println("Sandbox stopped; " + sandbox.work + " deleted.");
            stopped.countDown();
        }, "sandbox-stop"));
        System.out.println(sandbox.instructions(interval));
        stopped.await();
    }

    /** Starts everything; {@code port} 0 takes a free port. */
    static Sandbox start(int port, int intervalSeconds) throws Exception {
        Path work = Files.createTempDirectory("savepoint-sandbox");
        FlinkTestCluster flink = null;
        try {
            flink = FlinkTestCluster.start();
            String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("server.port", Integer.toString(port));
            properties.put("savepoints.db.embedded-data-directory", work.resolve("postgres").toString());
            properties.put("savepoints.query.tokens.sandbox-user", token);
            properties.put("savepoints.flink.job-manager-url-template", flink.restAddress().toString());
            properties.put("savepoints.flink.observe-interval", "1s");
            properties.put("logging.level.org.apache.flink", "warn");
            properties.put("logging.level.org.apache.pekko", "warn");
            ServiceInstance service = ServiceInstance.start(WebApplicationType.SERVLET, properties);
            Sandbox sandbox = new Sandbox(work, flink, service, token);
            sandbox.registerCountingJob(intervalSeconds);
            return sandbox;
        } catch (Exception | Error e) {
            if (flink != null) {
                flink.close();
            }
            delete(work);
            throw e;
        }
    }

    /** Flink's start-up chatter would bury the instructions; Spring's logging settings apply only after it. */
    private static void quiet(String... loggers) {
        for (String name : loggers) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }

    /** As the Kubernetes bridge would for a FlinkCluster with this spec.job. */
    private void registerCountingJob(int intervalSeconds) {
        JobArtifact artifact = new JobArtifact(FlinkTestCluster.countingJobJar().toString(), FlinkJobs.COUNTING_JOB,
                List.of("--out", work.resolve("count").toString(), "--delay-ms", "100"), 1);
        JobSettings settings = new JobSettings(savepointsDir().toUri().toString(), intervalSeconds,
                RestartPolicy.FROM_SAVEPOINT_ON_FAILURE, null, false, SavepointFormatType.CANONICAL, null, false, artifact);
        service.commands().sendAndWait(new RegisterJob(JOB, "sandbox-" + JOB.name(), settings,
                new RequestedBy("sandbox", Source.KUBERNETES_SPEC, Instant.now())));
    }

    String instructions(int intervalSeconds) {
        String api = "http://localhost:" + port() + "/api/v1";
        String job = api + "/namespaces/" + JOB.namespace() + "/flinkclusters/" + JOB.name();
        return String.join(System.lineSeparator(),
                "",
                "=== Savepoint sandbox ready ===",
                "Job " + JOB + " (a counter that keeps its count in Flink state) runs on the local Flink at "
                        + flink.restAddress() + " (web UI there too).",
                "A savepoint is taken every " + intervalSeconds + " s into " + savepointsDir()
                        + "; each one is logged as 'Savepoint <trigger id> of job sandbox/counting completed at ...'.",
                "",
                "  Status:            curl -s " + job,
                "  Savepoint history: curl -s " + job + "/savepoints",
                "  Take one now:      curl -s -X POST -H 'Authorization: Bearer " + token + "' " + job + "/savepoints",
                "  Audit log:         curl -s " + api + "/audit",
                "  History pages:     http://localhost:" + port() + "/ui",
                "  Metrics:           curl -s http://localhost:" + port() + "/actuator/prometheus | grep savepoint",
                "",
                "Stop with Ctrl-C: the service, PostgreSQL and Flink stop, and " + work + " is deleted.",
                "");
    }

    int port() {
        return service.port();
    }

    String token() {
        return token;
    }

    Path savepointsDir() {
        return work.resolve("savepoints");
    }

    Path work() {
        return work;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            service.close(); // the service first: it stops its PostgreSQL as it goes
        } finally {
            try {
                flink.close();
            } catch (Exception e) {
                System.err.println("Flink did not stop cleanly: " + e);
            }
            delete(work);
        }
    }

    private static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + directory + ": " + e);
        }
    }
}

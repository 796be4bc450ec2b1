package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.command.api.JobId;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.test.FlinkTestCluster;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the crash tests run on: a real Flink behind a tap that marks the kill points, the mock API server, a real
 * PostgreSQL, and the service as a process of its own, started again after each SIGKILL with the same settings.
 */
final class CrashRig implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90);

    final Path work;
    final FlinkTestCluster flink;
    final FlinkTap tap;
    final MockApiServer api;
    final PostgresTestDatabase.Database database;
    final StoredEvents events;
    private final String name;
    private final List<String> extraProperties;
    private final List<String> report = new ArrayList<>();
    private Path reportFile;
    private int starts;
    private ServiceProcess service;

    private CrashRig(String name, List<String> extraProperties) throws Exception {
        this.name = name;
        this.extraProperties = extraProperties;
        work = Files.createTempDirectory(name);
        flink = FlinkTestCluster.start();
        tap = new FlinkTap(flink.restAddress());
        api = new MockApiServer();
        database = PostgresTestDatabase.newDatabase(name.replace('-', '_'));
        events = new StoredEvents(database);
    }

    /** Starts the parts; {@code extraProperties} (name=value) are added to every start of the service. */
    static CrashRig start(String name, String... extraProperties) throws Exception {
        return new CrashRig(name, List.of(extraProperties));
    }

    /** The table of kill points and outcomes, written to {@code target/crash-tests/<file>} at the end. */
    void reportTo(String file, String... header) {
        reportFile = Path.of("target", "crash-tests", file);
        report.addAll(List.of(header));
    }

    void report(String row) {
        report.add(row);
    }

    /** A new process of the service, as a restarted node: its own name in the Lease and in db-scheduler. */
    ServiceProcess startService() throws Exception {
        List<String> properties = new ArrayList<>();
        database.springProperties().forEach((key, value) -> properties.add(key + "=" + value));
        properties.addAll(List.of(
                "savepoints.k8s.enabled=true",
                "savepoints.k8s.master-url=" + api.masterUrl(),
                "savepoints.k8s.lease-duration=3s",
                "savepoints.flink.job-manager-url-template=" + tap.address(),
                "savepoints.flink.observe-interval=300ms",
                "savepoints.flink.poll-initial=100ms",
                "savepoints.flink.poll-max=500ms",
                // a killed node's claims: its deadlines and event-processor segments are taken over after these
                "db-scheduler.heartbeat-interval=1s",
                "axon.eventhandling.tokenstore.claim-timeout=2s"));
        properties.addAll(extraProperties);
        starts++;
        service = ServiceProcess.start(name + "-" + starts, "replica-" + starts, properties);
        return service;
    }

    /**
     * Once a savepoint, restart or disposal is over, none of its deadlines (polls, timeouts, backoffs) is left; the
     * observer's recurring task stays.
     */
    void awaitNoDeadlinesLeft() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.count("select count(*) from scheduled_tasks"
                        + " where task_name <> 'flink-job-observer'"))
                .as(() -> "deadlines left: " + events.rows("select task_name || ' ' || task_instance || ' due ' || execution_time"
                        + " || ' picked by ' || coalesce(picked_by, '-') from scheduled_tasks where task_name <> 'flink-job-observer'"))
                .isZero());
    }

    FlinkCluster awaitStatus(JobId job, Predicate<FlinkCluster> condition) {
        return await().atMost(WAIT).until(() -> api.cluster(job.namespace(), job.name()).get(),
                c -> c != null && c.getStatus() != null && condition.test(c));
    }

    static FlinkClusterStatus.Job job(FlinkCluster cluster) {
        return cluster.getStatus() == null || cluster.getStatus().getComponents() == null ? null
                : cluster.getStatus().getComponents().getJob();
    }

    @Override
    public void close() throws Exception {
        if (service != null) {
            service.close();
        }
        if (reportFile != null) {
            Files.createDirectories(reportFile.getParent());
            Files.writeString(reportFile, String.join("\n", report) + "\n");
        }
        api.close();
        tap.close();
        flink.close();
    }
}

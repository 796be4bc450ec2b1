package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.rest.FlinkRestClient;
import dev.savepoints.flink.rest.JarRun;
import dev.savepoints.flink.rest.SavepointStatus;
import dev.savepoints.flink.test.FlinkTestCluster;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.model.JobSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's guide (savepoints-guide.md), section by section, as a user runs it: FlinkCluster resources on the
 * mock API server, the service on a real PostgreSQL, the jobs on a real Flink. Assertions read the resource as
 * {@code kubectl get -o yaml} shows it.
 */
class UserGuideIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CONTROL = "flinkclusters.flinkoperator.k8s.io/user-control";

    private static FlinkTestCluster flink;
    private static FlinkRestClient flinkRest;
    private static MockApiServer api;
    private static ServiceInstance service;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        flink = FlinkTestCluster.start();
        flinkRest = flink.restClient();
        api = new MockApiServer();
        service = ServiceInstance.start(PostgresTestDatabase.newDatabase("user_guide"), FlinkJobs.serviceOn(flink,
                "savepoints.k8s.enabled=true", "savepoints.k8s.master-url=" + api.masterUrl()));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        api.close();
        flink.close();
    }

    private JobSpec countingJob(Path out, Path failMarker) {
        JobSpec job = new JobSpec();
        job.setJarFile(FlinkTestCluster.countingJobJar().toString());
        job.setClassName(FlinkJobs.COUNTING_JOB);
        List<String> args = new ArrayList<>(List.of("--out", out.toString(), "--delay-ms", "10"));
        if (failMarker != null) {
            args.addAll(List.of("--fail-marker", failMarker.toString()));
        }
        job.setArgs(args);
        job.setParallelism(1);
        job.setSavepointsDir(work.resolve("savepoints").toUri().toString());
        return job;
    }

    private static FlinkCluster apply(String name, JobSpec job) {
        FlinkCluster cluster = FlinkClusters.manifest("default", name, job);
        cluster.getSpec().setOtherField("image", Map.of("name", "flink:1.20"));
        return api.kubectl.resource(cluster).create();
    }

    private static FlinkCluster awaitStatus(String name, Predicate<FlinkCluster> condition) {
        return org.awaitility.Awaitility.await().atMost(WAIT).until(() -> api.cluster("default", name).get(),
                c -> c != null && c.getStatus() != null && condition.test(c));
    }

    /**
     * Writes the resource as {@code kubectl get flinkcluster -o yaml} shows it, and its Events as
     * {@code kubectl get events} lists them, to target/user-guide/: docs/users-guide.md quotes these outputs.
     */
    private static void capture(String section, FlinkCluster cluster) throws Exception {
        FlinkClusters.capture(section, cluster, api.eventsOf("default", cluster.getMetadata().getName()));
    }

    private static FlinkClusterStatus.Job job(FlinkCluster cluster) {
        return cluster.getStatus().getComponents() == null ? null : cluster.getStatus().getComponents().getJob();
    }

    private static Predicate<FlinkCluster> running() {
        return c -> job(c) != null && "Running".equals(job(c).getState());
    }

    private static Predicate<FlinkCluster> generationAtLeast(long generation) {
        return c -> job(c) != null && job(c).getSavepointGeneration() != null && job(c).getSavepointGeneration() >= generation;
    }

    private static long count(Path out) throws Exception {
        return Files.exists(out) ? Long.parseLong(Files.readString(out).trim()) : 0;
    }

    private static void stopFlinkJob(FlinkCluster cluster) {
        String id = job(api.cluster("default", cluster.getMetadata().getName()).get()).getId();
        flinkRest.cancel(id);
        await().atMost(WAIT).until(() -> flinkRest.job(id).globallyTerminal());
    }

    @Test
    void startingAJobFromASavepoint() throws Exception {
        // A savepoint of an earlier run, taken by hand.
        Path out = work.resolve("count");
        String jarId = flinkRest.uploadJar(FlinkTestCluster.countingJobJar(), "guide-start.jar").id();
        String earlier = flinkRest.runJar(jarId, new JarRun(FlinkJobs.COUNTING_JOB, List.of("--out", out.toString()), 1,
                null, null, false));
        await().atMost(WAIT).until(() -> count(out) >= 30);
        String trigger = UUID.randomUUID().toString().replace("-", "");
        flinkRest.stopWithSavepoint(earlier, work.resolve("earlier").toUri().toString(), "CANONICAL", trigger);
        String savepoint = await().atMost(WAIT).until(() -> flinkRest.savepointStatus(earlier, trigger),
                s -> s.state() == SavepointStatus.State.COMPLETED).location();
        await().atMost(WAIT).until(() -> flinkRest.job(earlier).globallyTerminal());
        long atSavepoint = count(out);

        JobSpec job = countingJob(out, null);
        job.setFromSavepoint(savepoint);
        job.setAllowNonRestoredState(false);
        FlinkCluster cluster = apply("from-savepoint", job);

        FlinkCluster started = awaitStatus("from-savepoint", running());
        assertThat(job(started).getFromSavepoint()).isEqualTo(savepoint);
        long firstWrite = count(out);
        await().atMost(WAIT).until(() -> count(out) != firstWrite);
        assertThat(count(out)).as("the job counts on from the savepoint").isGreaterThan(atSavepoint);
        capture("from-savepoint", api.cluster("default", "from-savepoint").get());
        stopFlinkJob(cluster);
    }

    @Test
    void automaticSavepoints() throws Exception {
        JobSpec job = countingJob(work.resolve("count"), null);
        job.setAutoSavepointSeconds(2);
        FlinkCluster cluster = apply("automatic", job);

        FlinkCluster second = awaitStatus("automatic", generationAtLeast(2));
        assertThat(Path.of(URI.create(job(second).getSavepointLocation()))).isDirectory();
        assertThat(job(second).getLastSavepointTime()).isNotBlank();
        assertThat(job(second).getState()).isEqualTo("Running");
        capture("automatic", second);
        try (var savepoints = Files.list(work.resolve("savepoints"))) {
            assertThat(savepoints.count()).isGreaterThanOrEqualTo(2);
        }
        stopFlinkJob(cluster);
    }

    @Test
    void takingASavepointByBumpingTheGeneration() throws Exception {
        FlinkCluster cluster = apply("generation", countingJob(work.resolve("count"), null));
        awaitStatus("generation", running());

        api.mergePatch("default", "generation", "{\"spec\":{\"job\":{\"savepointGeneration\":1}}}");

        FlinkCluster bumped = awaitStatus("generation", generationAtLeast(1));
        assertThat(job(bumped).getLastSavepointTriggerId()).matches("[0-9a-f]{32}");
        assertThat(Path.of(URI.create(job(bumped).getSavepointLocation()))).isDirectory();
        assertThat(bumped.getStatus().getSavepoint().getTriggerReason()).isEqualTo("user requested");
        capture("generation", bumped);
        stopFlinkJob(cluster);
    }

    @Test
    void takingASavepointWithTheAnnotation() throws Exception {
        FlinkCluster cluster = apply("annotated", countingJob(work.resolve("count"), null));
        FlinkCluster running = awaitStatus("annotated", running());

        api.mergePatch("default", "annotated", "{\"metadata\":{\"annotations\":{\"" + CONTROL + "\":\"savepoint\"}}}");

        FlinkCluster done = awaitStatus("annotated", c -> c.getStatus().getControl() != null
                && "Succeeded".equals(c.getStatus().getControl().getState())
                && (c.getMetadata().getAnnotations() == null || !c.getMetadata().getAnnotations().containsKey(CONTROL)));
        assertThat(done.getStatus().getControl().getName()).isEqualTo("savepoint");
        assertThat(done.getStatus().getControl().getDetails().getJobId()).isEqualTo(job(running).getId());
        assertThat(done.getStatus().getControl().getDetails().getSavepointTriggerId())
                .isEqualTo(job(done).getLastSavepointTriggerId());
        assertThat(job(done).getSavepointGeneration()).isEqualTo(1L);
        capture("annotation", done);
        assertThat(Path.of(URI.create(job(done).getSavepointLocation()))).isDirectory();
        stopFlinkJob(cluster);
    }

    @Test
    void aSavepointTakenWithFlinksRestApiShowsInTheStatus() throws Exception {
        FlinkCluster cluster = apply("bypassed", countingJob(work.resolve("count"), null));
        String flinkJobId = job(awaitStatus("bypassed", running())).getId();

        // curl -X POST -d '{"target-directory": "[SAVEPOINT_DIR]", "cancel-job": false}' .../jobs/[JOB_ID]/savepoints
        String elsewhere = work.resolve("by-hand").toUri().toString();
        String trigger = flinkRest.triggerSavepoint(flinkJobId, elsewhere, "CANONICAL", null);
        String location = await().atMost(WAIT).until(() -> flinkRest.savepointStatus(flinkJobId, trigger),
                s -> s.state() == SavepointStatus.State.COMPLETED).location();

        FlinkCluster recorded = awaitStatus("bypassed", c -> location.equals(job(c).getSavepointLocation()));
        assertThat(job(recorded).getSavepointGeneration()).isEqualTo(1L);
        assertThat(recorded.getStatus().getSavepoint()).as("status.savepoint is the service's own last operation").isNull();
        await().atMost(WAIT).until(() -> api.eventsOf("default", "bypassed").stream()
                .anyMatch(e -> "SavepointCreated".equals(e.getReason()) && e.getMessage().endsWith(location)));
        capture("external", recorded);
        stopFlinkJob(cluster);
    }

    @Test
    void cancellingTheJobWithAFinalSavepoint() throws Exception {
        apply("cancelled", countingJob(work.resolve("count"), null));
        String flinkJobId = job(awaitStatus("cancelled", running())).getId();

        api.mergePatch("default", "cancelled", "{\"metadata\":{\"annotations\":{\"" + CONTROL + "\":\"job-cancel\"}}}");

        FlinkCluster done = awaitStatus("cancelled", c -> c.getStatus().getControl() != null
                && "Succeeded".equals(c.getStatus().getControl().getState()) && "Cancelled".equals(job(c).getState()));
        assertThat(done.getStatus().getControl().getName()).isEqualTo("job-cancel");
        capture("job-cancel", done);
        assertThat(Path.of(URI.create(job(done).getSavepointLocation()))).isDirectory();
        await().atMost(WAIT).until(() -> flinkRest.job(flinkJobId).globallyTerminal());
    }

    @Test
    void restartingAFailedJobFromItsLatestSavepoint() throws Exception {
        Path out = work.resolve("count");
        Path marker = work.resolve("fail-now");
        JobSpec job = countingJob(out, marker);
        job.setRestartPolicy(JobSpec.RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
        FlinkCluster cluster = apply("restarted", job);
        String first = job(awaitStatus("restarted", running())).getId();
        await().atMost(WAIT).until(() -> count(out) >= 30);

        // the savepoint holds at least this count (the job keeps counting while it is taken)
        long beforeSavepoint = count(out);
        api.mergePatch("default", "restarted", "{\"metadata\":{\"annotations\":{\"" + CONTROL + "\":\"savepoint\"}}}");
        FlinkCluster saved = awaitStatus("restarted", generationAtLeast(1));

        Files.writeString(marker, "fail");
        awaitStatus("restarted", c -> !"Running".equals(job(c).getState()) && job(c).getFailureReasons() != null);
        Files.delete(marker);

        FlinkCluster restarted = awaitStatus("restarted", c -> job(c).getRestartCount() != null && job(c).getRestartCount() == 1
                && "Running".equals(job(c).getState()));
        assertThat(job(restarted).getId()).isNotEqualTo(first);
        assertThat(job(restarted).getFromSavepoint()).isEqualTo(job(saved).getSavepointLocation());
        long afterRestart = count(out);
        await().atMost(WAIT).until(() -> count(out) != afterRestart);
        assertThat(count(out)).as("the restarted job counts on from the savepoint").isGreaterThan(beforeSavepoint);
        assertThat(api.eventsOf("default", "restarted")).extracting(e -> e.getReason())
                .contains("JobFailed", "RestartedFromSavepoint");
        capture("restarted", restarted);
        stopFlinkJob(cluster);
    }
}

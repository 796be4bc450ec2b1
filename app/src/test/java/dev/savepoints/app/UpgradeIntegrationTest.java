package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.test.FlinkTestCluster;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.model.JobSpec;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stateful upgrades from a FlinkCluster change, as a user makes them: the mock API server, the service on a real
 * PostgreSQL, the counting job on a real Flink. New arguments of a running job stop it with a savepoint and start the
 * new version from it; a stop that fails leaves the old version running; a new version that fails at once is rolled
 * back; without a savepoint on update, a savepoint too old to start from is refused.
 */
class UpgradeIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static FlinkTestCluster flink;
    private static MockApiServer api;
    private static PostgresTestDatabase.Database database;
    private static StoredEvents events;
    private static ServiceInstance service;

    /** Static: the jobs of the tests write into it until Flink stops after the last one. */
    @TempDir
    static Path root;
    private Path work;

    @BeforeEach
    void workDirectory(TestInfo test) throws Exception {
        work = Files.createDirectories(root.resolve(test.getTestMethod().orElseThrow().getName()));
    }

    @BeforeAll
    static void start() throws Exception {
        flink = FlinkTestCluster.start();
        api = new MockApiServer();
        database = PostgresTestDatabase.newDatabase("upgrades");
        events = new StoredEvents(database);
        service = ServiceInstance.start(database, FlinkJobs.serviceOn(flink, "savepoints.k8s.enabled=true",
                "savepoints.k8s.master-url=" + api.masterUrl(), "savepoints.command.upgrade-trial-period=3s",
                "savepoints.command.request-retry-initial=2s"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        api.close();
        flink.close();
    }

    private JobSpec countingJob(Path out, String... more) {
        JobSpec job = new JobSpec();
        job.setJarFile(FlinkTestCluster.countingJobJar().toString());
        job.setClassName(FlinkJobs.COUNTING_JOB);
        List<String> args = new ArrayList<>(List.of("--out", out.toString(), "--delay-ms", "10"));
        args.addAll(List.of(more));
        job.setArgs(args);
        job.setParallelism(1);
        job.setSavepointsDir(work.resolve("savepoints").toUri().toString());
        return job;
    }

    private static FlinkCluster awaitStatus(String name, Predicate<FlinkCluster> condition) {
        return await().atMost(WAIT).until(() -> api.cluster("default", name).get(),
                c -> c != null && c.getStatus() != null && job(c) != null && condition.test(c));
    }

    private static FlinkClusterStatus.Job job(FlinkCluster cluster) {
        return cluster.getStatus().getComponents() == null ? null : cluster.getStatus().getComponents().getJob();
    }

    private static Predicate<FlinkCluster> update(String state) {
        return c -> c.getStatus().getControl() != null && "update".equals(c.getStatus().getControl().getName())
                && state.equals(c.getStatus().getControl().getState());
    }

    private static long count(Path out) throws Exception {
        return Files.exists(out) ? Long.parseLong(Files.readString(out).trim()) : 0;
    }

    private static void setArgs(String name, List<String> args, String extraJobFields) {
        StringBuilder json = new StringBuilder("{\"spec\":{\"job\":{\"args\":[");
        for (int i = 0; i < args.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(args.get(i)).append('"');
        }
        json.append(']').append(extraJobFields).append("}}}");
        api.mergePatch("default", name, json.toString());
    }

    private static List<String> reasons(String name) {
        return api.eventsOf("default", name).stream().map(Event::getReason).toList();
    }

    @Test
    void newArgumentsAreAStopWithSavepointAndAStartOfTheNewVersionFromIt() throws Exception {
        Path out = work.resolve("count");
        Path upgradedOut = work.resolve("count-upgraded");
        api.kubectl.resource(FlinkClusters.manifest("default", "upgraded", countingJob(out))).create();
        FlinkCluster before = awaitStatus("upgraded", c -> "Running".equals(job(c).getState()));
        await().atMost(WAIT).until(() -> count(out) >= 50);

        CountSamples upgradedCounts = new CountSamples(upgradedOut);
        setArgs("upgraded", List.of("--out", upgradedOut.toString(), "--delay-ms", "10"), "");

        FlinkCluster after = awaitStatus("upgraded", update("Succeeded"));
        upgradedCounts.close();
        assertThat(job(after).getId()).as("a new Flink job").isNotEqualTo(job(before).getId());
        assertThat(job(after).getState()).isEqualTo("Running");
        assertThat(after.getStatus().getState()).isEqualTo("Running");
        String upgradeSavepoint = events.ofType("default/upgraded", "SavepointCompleted").stream()
                .filter(e -> e.payload().path("reason").asText().equals("UPDATE")).findFirst().orElseThrow()
                .payload().path("location").asText();
        assertThat(job(after).getFromSavepoint()).isEqualTo(upgradeSavepoint);
        long atStop = count(out);
        assertThat(upgradedCounts.values()).as("the new version counts on from the upgrade savepoint's count")
                .isNotEmpty().allSatisfy(value -> assertThat(value).isGreaterThan(atStop));
        assertThat(count(out)).as("the old version stopped").isEqualTo(atStop);
        assertThat(reasons("upgraded")).contains("UpgradeStarted", "UpgradeSucceeded");
        FlinkClusters.capture("upgrade", after, api.eventsOf("default", "upgraded"));
    }

    @Test
    void anUpgradeWhoseSavepointFailsLeavesTheOldVersionRunningAndSaysWhy() throws Exception {
        Path out = work.resolve("count");
        api.kubectl.resource(FlinkClusters.manifest("default", "unsaved", countingJob(out))).create();
        FlinkCluster before = awaitStatus("unsaved", c -> "Running".equals(job(c).getState()));
        Path notADirectory = Files.writeString(work.resolve("a-file"), "savepoints cannot go here");

        setArgs("unsaved", List.of("--out", out.toString(), "--delay-ms", "5"),
                ",\"savepointsDir\":\"" + notADirectory.toUri() + "\"");

        FlinkCluster waiting = awaitStatus("unsaved", c -> update("Progressing").test(c)
                && c.getStatus().getControl().getMessage() != null
                && c.getStatus().getControl().getMessage().contains("the old version runs on"));
        assertThat(waiting.getStatus().getState()).isEqualTo("Updating");
        assertThat(job(waiting).getId()).isEqualTo(job(before).getId());
        assertThat(job(waiting).getState()).isEqualTo("Running");
        long counted = count(out);
        await().atMost(WAIT).until(() -> count(out) > counted);
        await().atMost(WAIT).until(() -> reasons("unsaved").contains("UpgradeWaiting"));
        FlinkClusters.capture("upgrade-savepoint-failed", waiting, api.eventsOf("default", "unsaved"));
    }

    @Test
    void aNewVersionThatFailsAtOnceIsRolledBackAndTheStateContinues() throws Exception {
        Path out = work.resolve("count");
        Path marker = Files.writeString(work.resolve("fail-now"), "the new version fails while this exists");
        api.kubectl.resource(FlinkClusters.manifest("default", "rolled-back", countingJob(out))).create();
        awaitStatus("rolled-back", c -> "Running".equals(job(c).getState()));
        await().atMost(WAIT).until(() -> count(out) >= 50);

        CountSamples counts = new CountSamples(out);
        setArgs("rolled-back", List.of("--out", out.toString(), "--delay-ms", "10", "--fail-marker", marker.toString()), "");

        FlinkCluster rolledBack = awaitStatus("rolled-back", c -> update("Failed").test(c)
                && "Running".equals(job(c).getState()));
        assertThat(rolledBack.getStatus().getControl().getMessage()).startsWith("rolled back: ");
        long restoredAt = count(out);
        await().atMost(WAIT).until(() -> count(out) > restoredAt);
        counts.close();
        assertThat(counts.values()).as("the previous version counts on from the upgrade savepoint").isSorted();
        List<String> args = events.ofType("default/rolled-back", "JobSubmissionRequested").stream()
                .map(e -> e.payload().path("artifact").path("args").toString()).toList();
        assertThat(args).as("first, upgraded, restored").hasSize(3);
        assertThat(args.get(2)).isEqualTo(args.get(0)).doesNotContain("fail-marker");
        assertThat(reasons("rolled-back")).contains("UpgradeRolledBack");
        assertThat(events.ofType("default/rolled-back", "JobRestartScheduled")).as("rolled back, not restarted").isEmpty();
        FlinkClusters.capture("upgrade-rolled-back", rolledBack, api.eventsOf("default", "rolled-back"));
    }

    @Test
    void withoutASavepointOnUpdateATooOldSavepointIsRefusedWithTheReason() throws Exception {
        Path out = work.resolve("count");
        JobSpec job = countingJob(out);
        job.setTakeSavepointOnUpdate(false);
        job.setMaxStateAgeToRestoreSeconds(1);
        job.setSavepointGeneration(1);
        api.kubectl.resource(FlinkClusters.manifest("default", "stale", job)).create();
        FlinkCluster saved = awaitStatus("stale", c -> Long.valueOf(1).equals(job(c).getSavepointGeneration()));
        await().atMost(WAIT).until(() -> java.time.Instant.parse(job(saved).getLastSavepointTime())
                .plusSeconds(2).isBefore(java.time.Instant.now()));

        setArgs("stale", List.of("--out", out.toString(), "--delay-ms", "5"), "");

        FlinkCluster refused = awaitStatus("stale", update("Failed"));
        assertThat(refused.getStatus().getControl().getMessage())
                .startsWith("not upgraded: takeSavepointOnUpdate is false and the latest savepoint")
                .contains("is older than maxStateAgeToRestoreSeconds (1)");
        assertThat(job(refused).getId()).isEqualTo(job(saved).getId());
        assertThat(job(refused).getState()).isEqualTo("Running");
        await().atMost(WAIT).until(() -> reasons("stale").contains("UpgradeRefused"));
    }

    @Test
    void anotherJobManagerIsAStopWithSavepointAtTheOldOneAndAStartAtTheNewOne() throws Exception {
        try (FlinkTestCluster other = FlinkTestCluster.start()) {
            Path out = work.resolve("count");
            api.kubectl.resource(FlinkClusters.manifest("default", "moved", countingJob(out))).create();
            FlinkCluster before = awaitStatus("moved", c -> "Running".equals(job(c).getState()));
            await().atMost(WAIT).until(() -> count(out) >= 50);

            CountSamples counts = new CountSamples(out);
            api.annotate("default", "moved", "savepoints.dev/jobmanager-url", other.restAddress().toString(), "kubectl-annotate");

            FlinkCluster after = awaitStatus("moved", update("Succeeded"));
            String moved = job(after).getId();
            assertThat(other.restClient().jobs()).as("the new JobManager runs the job")
                    .anySatisfy(j -> assertThat(j.id() + " " + j.state()).isEqualTo(moved + " RUNNING"));
            assertThat(flink.restClient().jobs()).as("the old one no longer does")
                    .noneSatisfy(j -> assertThat(j.state()).isEqualTo("RUNNING"))
                    .anySatisfy(j -> assertThat(j.id() + " " + j.state()).isEqualTo(job(before).getId() + " FINISHED"));
            String upgradeSavepoint = events.ofType("default/moved", "SavepointCompleted").stream()
                    .filter(e -> e.payload().path("reason").asText().equals("UPDATE")).findFirst().orElseThrow()
                    .payload().path("location").asText();
            assertThat(job(after).getFromSavepoint()).isEqualTo(upgradeSavepoint);
            long atMove = count(out);
            await().atMost(WAIT).until(() -> count(out) > atMove);
            counts.close();
            assertThat(counts.values()).as("counted on from the state it had at the old JobManager").isSorted();
            assertThat(after.getStatus().getControl().getMessage()).startsWith("upgraded: runs as " + moved);
            api.kubectl.resource(FlinkClusters.manifest("default", "moved", countingJob(out))).delete();
        }
    }
}

package dev.savepoints.app;

import static dev.savepoints.app.CrashRig.WAIT;
import static dev.savepoints.app.CrashRig.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.app.FlinkTap.Moment;
import dev.savepoints.command.api.JobId;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.JobRetention;
import dev.savepoints.k8s.model.JobSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The service SIGKILLed in the middle of a disposal (keep the last savepoint only), then started again: the
 * savepoint is disposed of once and recorded as DISPOSED, the files on disk are exactly the history's retained
 * savepoints, and the savepoints the job needs are all there. Real Flink behind a tap that marks the kill points,
 * real PostgreSQL, the mock API server; the table is written to {@code target/crash-tests/retention-kill-points.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionCrashTest {

    private static final String CONTROL = "flinkclusters.flinkoperator.k8s.io/user-control";
    private static final JobId JOB = JobId.of("default", "retention-crash");
    private static final String DISPOSAL = "/savepoint-disposal";

    private static CrashRig rig;
    private static Instant lastAnnotation;
    private static ServiceProcess service;

    /** A step of a disposal, as the tap sees it. */
    enum KillPoint {
        AFTER_FLINK_DISPOSED("Flink disposed of the files and said so; the answer lost, nothing recorded",
                "GET", p -> p.startsWith(DISPOSAL + "/"), Moment.BEFORE_ANSWER, a -> a.contains("COMPLETED")),
        BEFORE_THE_DISPOSAL("the previous disposal recorded; the next one decided, its call not yet at Flink",
                "POST", p -> p.equals(DISPOSAL), Moment.BEFORE_FLINK, a -> true),
        AFTER_THE_DISPOSAL_CALL("Flink took the disposal; its answer lost",
                "POST", p -> p.equals(DISPOSAL), Moment.BEFORE_ANSWER, a -> true);

        final String step;
        final String method;
        final Predicate<String> path;
        final Moment moment;
        final Predicate<String> answer;

        KillPoint(String step, String method, Predicate<String> path, Moment moment, Predicate<String> answer) {
            this.step = step;
            this.method = method;
            this.path = path;
            this.moment = moment;
            this.answer = answer;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        rig = CrashRig.start("retention-crash", "savepoints.flink.local-disposal=false",
                "savepoints.command.disposal-retry-initial=1s",
                // a disposal saga killed before it committed leaves its timeout (scheduled apart from the saga's
                // transaction): it fires within the wait for no deadlines left and finds no saga to act on
                "savepoints.flink.disposal-timeout=30s");
        service = rig.startService();
        rig.api.kubectl.resource(manifest()).create();
        rig.awaitStatus(JOB, c -> job(c) != null && "Running".equals(job(c).getState()));
        rig.reportTo("retention-kill-points.md", "| kill point | step | disposal calls at Flink | disposals decided"
                + " (events) | recorded | history | files = retained | restart → converged |", "|---|---|---|---|---|---|---|---|");
    }

    @AfterAll
    static void stop() throws Exception {
        rig.close();
    }

    private static FlinkCluster manifest() {
        JobSpec job = FlinkClusters.countingJob(rig.work.resolve("count"), null, rig.work.resolve("savepoints"));
        JobRetention retention = new JobRetention();
        retention.setMaxCount(1);
        retention.setMaxAgeSeconds(0);
        job.setRetention(retention);
        return FlinkClusters.manifest(JOB.namespace(), JOB.name(), job);
    }

    @Test
    @Order(1)
    void aNewSavepointDisposesOfTheOneBefore() throws Exception {
        String first = takeSavepoint();
        String second = takeSavepoint();
        awaitDisposed(first);
        assertThat(onDisk()).containsExactly(normal(second)).isEqualTo(retained());
        rig.awaitNoDeadlinesLeft();
    }

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    @Order(2)
    void aDisposalInterruptedByTheKillIsCarriedOutOnceAndRecorded(KillPoint point) throws Exception {
        String before = latest();
        int calls = rig.tap.calls().size();
        ServiceProcess victim = service;
        BooleanSupplier fired = rig.tap.once(point.method, point.path, point.moment, point.answer, victim::kill);

        annotateSavepoint();
        await().atMost(WAIT).until(() -> fired.getAsBoolean() || !victim.isAlive());
        if (!fired.getAsBoolean()) {
            Thread.sleep(1_000); // a kill point notes that it fired once its kill has returned
        }
        assertThat(fired.getAsBoolean()).as("killed at " + point).isTrue();
        assertThat(victim.isAlive()).isFalse();
        assertThat(Path.of(URI.create(latestCompletedLocation()))).as("the new savepoint is on disk").isDirectory();
        long restarted = System.nanoTime();
        service = rig.startService();

        awaitDisposed(before);
        FlinkCluster done = rig.awaitStatus(JOB, c -> c.getStatus().getControl() != null
                && "Succeeded".equals(c.getStatus().getControl().getState())
                && (c.getMetadata().getAnnotations() == null || !c.getMetadata().getAnnotations().containsKey(CONTROL)));
        long convergedMs = (System.nanoTime() - restarted) / 1_000_000;
        String now = job(done).getSavepointLocation();
        assertThat(now).isNotEqualTo(before);
        assertThat(Path.of(URI.create(now))).as("the latest savepoint, which a restart needs, is on disk").isDirectory();
        assertThat(Path.of(URI.create(before))).as("the disposed one is gone").doesNotExist();
        assertThat(onDisk()).as("files and history agree").isEqualTo(retained()).containsExactly(normal(now));
        String triggerId = triggerIdAt(before);
        long decided = rig.events.ofType(JOB.toString(), "SavepointDisposalRequested").stream()
                .filter(e -> e.payload().path("triggerId").asText().equals(triggerId)).count();
        long recorded = rig.events.ofType(JOB.toString(), "SavepointDisposed").stream()
                .filter(e -> e.payload().path("triggerId").asText().equals(triggerId)).count();
        long failed = rig.events.ofType(JOB.toString(), "SavepointDisposalFailed").stream()
                .filter(e -> e.payload().path("triggerId").asText().equals(triggerId)).count();
        assertThat(decided).as("one decision, not repeated after the restart; a new attempt only after a failure")
                .isEqualTo(1 + failed);
        assertThat(recorded).as("recorded once").isEqualTo(1);
        List<FlinkTap.Call> disposalCalls = rig.tap.calls().subList(calls, rig.tap.calls().size()).stream()
                .filter(c -> c.method().equals("POST") && c.path().equals(DISPOSAL)).toList();
        assertThat(disposalCalls).as("every disposal call named that savepoint")
                .allSatisfy(c -> assertThat(c.request()).contains(Path.of(URI.create(before)).getFileName().toString()));
        String method = rig.events.rows("select disposal_method from qs_savepoint where trigger_id = '" + triggerId + "'")
                .get(0);
        rig.awaitNoDeadlinesLeft();

        rig.report("| " + point + " | " + point.step + " | " + disposalCalls.size() + " | " + decided
                + (failed > 0 ? " (" + failed + " failed, tried again)" : "") + " | " + recorded + " (" + method + ") | DISPOSED | yes | " + convergedMs + " ms |");
    }

    /** Takes a savepoint with the annotation and returns its location once the control succeeded. */
    private static String takeSavepoint() throws InterruptedException {
        long completed = rig.events.ofType(JOB.toString(), "SavepointCompleted").size();
        annotateSavepoint();
        await().atMost(WAIT).until(() -> rig.events.ofType(JOB.toString(), "SavepointCompleted").size() > completed);
        rig.awaitStatus(JOB, c -> c.getStatus().getControl() != null
                && "Succeeded".equals(c.getStatus().getControl().getState())
                && (c.getMetadata().getAnnotations() == null || !c.getMetadata().getAnnotations().containsKey(CONTROL)));
        return latestCompletedLocation();
    }

    /**
     * The annotation, as kubectl sets it: a request is known by its managedFields time, to the second, so a second
     * request waits for the next second (a real API server makes the same of two within one second).
     */
    private static void annotateSavepoint() throws InterruptedException {
        Instant now = Instant.now();
        if (lastAnnotation != null && !now.truncatedTo(ChronoUnit.SECONDS).isAfter(lastAnnotation)) {
            Thread.sleep(1_000 - now.getNano() / 1_000_000 + 10);
        }
        lastAnnotation = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        rig.api.annotate(JOB.namespace(), JOB.name(), CONTROL, "savepoint", "kubectl-annotate");
    }

    private static String latestCompletedLocation() {
        List<StoredEvents.Stored> completions = rig.events.ofType(JOB.toString(), "SavepointCompleted");
        return completions.get(completions.size() - 1).payload().path("location").asText();
    }

    private static String latest() {
        return job(rig.api.cluster(JOB.namespace(), JOB.name()).get()).getSavepointLocation();
    }

    private static void awaitDisposed(String location) {
        await().atMost(WAIT).until(() -> rig.events.count("select count(*) from qs_savepoint where location = '"
                + location + "' and retention = 'DISPOSED'") == 1);
    }

    private static String triggerIdAt(String location) {
        return rig.events.rows("select trigger_id from qs_savepoint where location = '" + location + "'").get(0);
    }

    private static Set<String> retained() {
        return SavepointFiles.paths(rig.events.rows("select location from qs_savepoint"
                + " where retention in ('RETAINED', 'DISPOSING', 'DISPOSAL_FAILED')"));
    }

    private static Set<String> onDisk() throws Exception {
        return SavepointFiles.onDisk(rig.work.resolve("savepoints"));
    }

    private static String normal(String location) {
        return SavepointFiles.path(location);
    }
}

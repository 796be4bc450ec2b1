package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.app.FlinkTap.Moment;
import dev.savepoints.command.api.JobId;
import dev.savepoints.flink.rest.FlinkRestClient;
import dev.savepoints.flink.rest.JobStatus;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.model.JobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The service as a process of its own, killed with SIGKILL at each step of a savepoint and of a restart from a
 * savepoint, then started again: every decided savepoint is taken once (Flink's trigger calls and the savepoint
 * directories on disk counted), the history and the CR status end right, and no deadline is left behind or acted
 * on twice. Real Flink (behind a tap that marks the kill points), real PostgreSQL, the mock API server. The table
 * of kill points and outcomes is written to {@code target/crash-tests/kill-points.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CONTROL = "flinkclusters.flinkoperator.k8s.io/user-control";
    private static final JobId JOB = JobId.of("default", "crash-test");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CrashRig rig;
    private static FlinkRestClient flinkRest;
    private static FlinkTap tap;
    private static MockApiServer api;
    private static StoredEvents events;
    private static Path work;
    private static ServiceProcess service;

    /** The Flink call at which a kill point fires, and when: before Flink has it, or before its answer is back. */
    record TapCall(String method, Predicate<String> path, Moment moment, Predicate<String> answer) {

        BooleanSupplier killOnce(FlinkTap tap, Runnable kill) {
            return tap.once(method, path, moment, answer, kill);
        }
    }

    /** A step of the savepoint saga, as the tap or the API server sees it (null: at the CR status write). */
    enum SavepointKillPoint {
        BEFORE_THE_TRIGGER("decided; trigger call not yet at Flink",
                new TapCall("POST", p -> p.endsWith("/savepoints"), Moment.BEFORE_FLINK, a -> true)),
        AFTER_THE_TRIGGER("Flink took the trigger; its answer lost",
                new TapCall("POST", p -> p.endsWith("/savepoints"), Moment.BEFORE_ANSWER, a -> true)),
        WHILE_POLLING("first status poll answered by Flink, answer lost",
                new TapCall("GET", p -> p.contains("/savepoints/"), Moment.BEFORE_ANSWER, a -> true)),
        AFTER_COMPLETION("Flink said COMPLETED; answer lost",
                new TapCall("GET", p -> p.contains("/savepoints/"), Moment.BEFORE_ANSWER, a -> a.contains("COMPLETED"))),
        BEFORE_THE_STATUS_WRITE("completion recorded; CR status write not yet served", null);

        final String step;
        final TapCall call;

        SavepointKillPoint(String step, TapCall call) {
            this.step = step;
            this.call = call;
        }
    }

    /** A step of the restart from the latest savepoint after the job failed. */
    enum RestartKillPoint {
        BEFORE_THE_RUN("restart decided; run call not yet at Flink", Moment.BEFORE_FLINK),
        AFTER_THE_RUN("Flink started the job; its answer lost", Moment.BEFORE_ANSWER);

        final String step;
        final Moment moment;

        RestartKillPoint(String step, Moment moment) {
            this.step = step;
            this.moment = moment;
        }
    }

    /** A step of a stateful upgrade: the stop with savepoint, then the new version's submission. */
    enum UpgradeKillPoint {
        AFTER_THE_STOP_SAVEPOINT("upgrade: Flink said the stop savepoint COMPLETED; answer lost",
                new TapCall("GET", p -> p.contains("/savepoints/"), Moment.BEFORE_ANSWER, a -> a.contains("COMPLETED"))),
        BEFORE_THE_NEW_SUBMIT("upgrade: old version stopped; the new version's run call not yet at Flink",
                new TapCall("POST", p -> p.endsWith("/run"), Moment.BEFORE_FLINK, a -> true));

        final String step;
        final TapCall call;

        UpgradeKillPoint(String step, TapCall call) {
            this.step = step;
            this.call = call;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        rig = CrashRig.start("crash-test",
                "savepoints.command.restart-backoff-initial=2s",
                "savepoints.command.upgrade-trial-period=2s",
                // the files counted here are all kept: retention has a test of its own (RetentionCrashTest)
                "savepoints.command.retention-max-count=0",
                "savepoints.command.retention-max-age=0s",
                // a saga killed after it ended but before its deadlines were cancelled (they are, after its commit)
                // leaves its timeout: it fires within the wait for no deadlines left and finds no saga to act on
                "savepoints.flink.savepoint-timeout=30s");
        work = rig.work;
        flinkRest = rig.flink.restClient();
        tap = rig.tap;
        api = rig.api;
        events = rig.events;
        service = rig.startService();
        api.kubectl.resource(manifest()).create();
        awaitStatus(c -> job(c) != null && "Running".equals(job(c).getState()));
        rig.reportTo("kill-points.md", "| kill point | step | Flink trigger/run calls (distinct ids) | savepoint dirs added"
                + " | decisions (events) | history | CR status | restart → converged |", "|---|---|---|---|---|---|---|---|");
    }

    @AfterAll
    static void stop() throws Exception {
        rig.close();
    }

    private static FlinkCluster manifest() {
        JobSpec job = FlinkClusters.countingJob(work.resolve("count"), work.resolve("fail"), work.resolve("savepoints"));
        job.setRestartPolicy(JobSpec.RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
        return FlinkClusters.manifest(JOB.namespace(), JOB.name(), job);
    }

    @ParameterizedTest
    @EnumSource(SavepointKillPoint.class)
    @Order(1)
    void aSavepointDecidedBeforeTheKillIsTakenOnceAfterTheRestart(SavepointKillPoint point) throws Exception {
        long triggered = events.ofType(JOB.toString(), "SavepointTriggered").size();
        long completed = events.ofType(JOB.toString(), "SavepointCompleted").size();
        long dirs = savepointDirectories();
        int calls = tap.calls().size();
        ServiceProcess victim = service;
        BooleanSupplier fired = point.call == null
                ? killBeforeStatusWrite(victim, completed)
                : point.call.killOnce(tap, victim::kill);

        // with the managedFields a real API server writes: they tell a replica that takes over that it has seen
        // this request already (the mock alone would make it look new after every restart)
        api.annotate(JOB.namespace(), JOB.name(), CONTROL, "savepoint", "kubectl-annotate");
        await().atMost(WAIT).until(() -> fired.getAsBoolean() || !victim.isAlive());
        if (!fired.getAsBoolean()) {
            // a kill point notes that it fired once its kill has returned, which can come after the death is seen
            Thread.sleep(1_000);
        }
        assertThat(fired.getAsBoolean()).as("killed at " + point + "; calls to Flink: " + tap.calls().subList(calls, tap.calls().size())
                + "; events: " + events.of(JOB.toString()).stream().map(StoredEvents.Stored::type).toList()).isTrue();
        assertThat(victim.isAlive()).isFalse();
        long restarted = System.nanoTime();
        service = rig.startService();

        List<StoredEvents.Stored> triggers = events.ofType(JOB.toString(), "SavepointTriggered");
        assertThat(triggers).as("one decision, not repeated after the restart").hasSize((int) triggered + 1);
        String triggerId = triggers.get(triggers.size() - 1).payload().path("triggerId").asText();
        FlinkCluster done = awaitStatus(c -> c.getStatus().getControl() != null
                && "Succeeded".equals(c.getStatus().getControl().getState())
                && triggerId.equals(job(c).getLastSavepointTriggerId())
                && (c.getMetadata().getAnnotations() == null || !c.getMetadata().getAnnotations().containsKey(CONTROL)));
        long convergedMs = (System.nanoTime() - restarted) / 1_000_000;

        List<StoredEvents.Stored> completions = events.ofType(JOB.toString(), "SavepointCompleted");
        assertThat(completions).as("completed once").hasSize((int) completed + 1);
        String location = completions.get(completions.size() - 1).payload().path("location").asText();
        assertThat(completions.get(completions.size() - 1).payload().path("triggerId").asText()).isEqualTo(triggerId);
        assertThat(job(done).getSavepointLocation()).isEqualTo(location);
        assertThat(savepointDirectories()).as("savepoints on disk").isEqualTo(dirs + 1);
        assertThat(Path.of(java.net.URI.create(location))).isDirectory();
        List<FlinkTap.Call> triggerCalls = tap.calls().subList(calls, tap.calls().size()).stream()
                .filter(c -> c.method().equals("POST") && c.path().endsWith("/savepoints")).toList();
        Set<String> sentIds = triggerCalls.stream().map(c -> field(c.request(), "triggerId")).collect(Collectors.toSet());
        assertThat(sentIds).as("every trigger call Flink saw carried the decision's id").containsExactly(triggerId);
        assertThat(events.count("select count(*) from qs_savepoint where trigger_id = '" + triggerId
                + "' and outcome = 'COMPLETED' and location = '" + location + "'")).as("history").isEqualTo(1);
        assertThat(events.count("select count(*) from qs_savepoint where outcome <> 'COMPLETED'")).isZero();
        awaitNoDeadlinesLeft();

        rig.report("| " + point + " | " + point.step + " | " + triggerCalls.size() + " (" + sentIds.size() + ") | 1 | "
                + "1 triggered, 1 completed | COMPLETED | Succeeded, location set | " + convergedMs + " ms |");
    }

    @ParameterizedTest
    @EnumSource(RestartKillPoint.class)
    @Order(2)
    void aRestartDecidedBeforeTheKillStartsTheJobOnceAfterTheRestart(RestartKillPoint point) throws Exception {
        String latest = job(api.cluster(JOB.namespace(), JOB.name()).get()).getSavepointLocation();
        assertThat(latest).as("a savepoint to restart from (taken by the tests before)").isNotNull();
        long failures = events.ofType(JOB.toString(), "JobFailed").size();
        long restarts = events.ofType(JOB.toString(), "RestartedFromSavepoint").size();
        int calls = tap.calls().size();
        ServiceProcess victim = service;
        BooleanSupplier fired = tap.once("POST", p -> p.endsWith("/run"), point.moment, a -> true, victim::kill);

        Path marker = Files.createFile(work.resolve("fail"));
        await().atMost(WAIT).until(() -> events.ofType(JOB.toString(), "JobFailed").size() > failures);
        Files.delete(marker); // the job restored from its savepoint runs on
        await().atMost(WAIT).until(fired::getAsBoolean);
        assertThat(victim.isAlive()).isFalse();
        long restarted = System.nanoTime();
        service = rig.startService();

        FlinkCluster running = awaitStatus(c -> job(c) != null && "Running".equals(job(c).getState())
                && events.ofType(JOB.toString(), "RestartedFromSavepoint").size() > restarts);
        long convergedMs = (System.nanoTime() - restarted) / 1_000_000;
        List<StoredEvents.Stored> restartEvents = events.ofType(JOB.toString(), "RestartedFromSavepoint");
        assertThat(restartEvents).as("restarted once").hasSize((int) restarts + 1);
        var restart = restartEvents.get(restartEvents.size() - 1).payload();
        assertThat(restart.path("savepointLocation").asText()).isEqualTo(latest);
        assertThat(job(running).getId()).isEqualTo(restart.path("flinkJobId").asText());
        assertThat(runningOnFlink()).as("one job runs on Flink").containsExactly(job(running).getId());
        List<FlinkTap.Call> runCalls = runCallsSince(calls);
        Set<String> jobIds = jobIdsOf(runCalls);
        assertThat(jobIds).as("every run call carried the restart's job id").containsExactly(job(running).getId());
        awaitNoDeadlinesLeft();

        rig.report("| " + point + " | " + point.step + " | " + runCalls.size() + " run (" + jobIds.size() + ") | 0 | "
                + "1 failure, 1 restart | restart from " + Path.of(latest).getFileName() + " | Running, one Flink job | "
                + convergedMs + " ms |");
    }

    @ParameterizedTest
    @EnumSource(UpgradeKillPoint.class)
    @Order(3)
    void anUpgradeInterruptedByTheKillTakesOneSavepointAndStartsOneNewJob(UpgradeKillPoint point) throws Exception {
        String before = job(api.cluster(JOB.namespace(), JOB.name()).get()).getId();
        long upgrades = events.ofType(JOB.toString(), "JobUpgradeSucceeded").size();
        long dirs = savepointDirectories();
        int calls = tap.calls().size();
        ServiceProcess victim = service;
        BooleanSupplier fired = point.call.killOnce(tap, victim::kill);

        api.mergePatch(JOB.namespace(), JOB.name(), "{\"spec\":{\"job\":{\"args\":[\"--out\",\""
                + work.resolve("count") + "\",\"--delay-ms\",\"" + (11 + point.ordinal()) + "\",\"--fail-marker\",\""
                + work.resolve("fail") + "\"]}}}");
        await().atMost(WAIT).until(() -> fired.getAsBoolean() || !victim.isAlive());
        if (!fired.getAsBoolean()) {
            Thread.sleep(1_000); // a kill point notes that it fired once its kill has returned
        }
        assertThat(fired.getAsBoolean()).as("killed at " + point).isTrue();
        assertThat(victim.isAlive()).isFalse();
        long restarted = System.nanoTime();
        service = rig.startService();

        FlinkCluster upgraded = awaitStatus(c -> c.getStatus().getControl() != null
                && "update".equals(c.getStatus().getControl().getName())
                && "Succeeded".equals(c.getStatus().getControl().getState())
                && events.ofType(JOB.toString(), "JobUpgradeSucceeded").size() > upgrades);
        long convergedMs = (System.nanoTime() - restarted) / 1_000_000;
        assertThat(events.ofType(JOB.toString(), "JobUpgradeSucceeded")).as("upgraded once").hasSize((int) upgrades + 1);
        List<StoredEvents.Stored> stops = events.ofType(JOB.toString(), "SavepointCompleted").stream()
                .filter(e -> e.payload().path("reason").asText().equals("UPDATE")).toList();
        assertThat(job(upgraded).getFromSavepoint()).isEqualTo(stops.get(stops.size() - 1).payload().path("location").asText());
        assertThat(savepointDirectories()).as("one stop savepoint on disk").isEqualTo(dirs + 1);
        assertThat(runningOnFlink()).as("one new job runs on Flink, the old one does not")
                .containsExactly(job(upgraded).getId());
        assertThat(job(upgraded).getId()).isNotEqualTo(before);
        List<FlinkTap.Call> runCalls = runCallsSince(calls);
        Set<String> jobIds = jobIdsOf(runCalls);
        assertThat(jobIds).as("every run call carried the new version's job id").containsExactly(job(upgraded).getId());
        awaitNoDeadlinesLeft();

        rig.report("| " + point + " | " + point.step + " | " + runCalls.size() + " run (" + jobIds.size() + ") | 1 | "
                + "1 stop savepoint, 1 new job | update savepoint COMPLETED | update Succeeded, one Flink job | "
                + convergedMs + " ms |");
    }

    /**
     * Kills the service at its first write of the CR status once the savepoint's completion is recorded: status
     * writes follow the events in order, so the one that shows the completion has not landed yet.
     */
    private static BooleanSupplier killBeforeStatusWrite(ServiceProcess victim, long completedBefore) {
        return api.onceInstead(request -> "PATCH".equals(request.getMethod())
                && request.getPath().contains("/flinkclusters/" + JOB.name() + "/status")
                && events.ofType(JOB.toString(), "SavepointCompleted").size() > completedBefore, victim::kill);
    }

    private static void awaitNoDeadlinesLeft() {
        rig.awaitNoDeadlinesLeft();
    }

    private static List<String> runningOnFlink() {
        return flinkRest.jobs().stream().filter(j -> j.state().equals("RUNNING")).map(JobStatus::id).toList();
    }

    /** The run calls the tap saw after the first {@code calls} calls. */
    private static List<FlinkTap.Call> runCallsSince(int calls) {
        return tap.calls().subList(calls, tap.calls().size()).stream()
                .filter(c -> c.method().equals("POST") && c.path().endsWith("/run")).toList();
    }

    /** The Flink job ids the run calls asked for: one for a run repeated after a crash. */
    private static Set<String> jobIdsOf(List<FlinkTap.Call> runCalls) {
        return runCalls.stream().map(c -> field(c.request(), "jobId")).collect(Collectors.toSet());
    }

    private static long savepointDirectories() throws Exception {
        Path dir = work.resolve("savepoints");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("savepoint-")).count();
        }
    }

    private static String field(String json, String name) {
        try {
            return JSON.readTree(json).path(name).asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static FlinkCluster awaitStatus(Predicate<FlinkCluster> condition) {
        return rig.awaitStatus(JOB, condition);
    }

    private static FlinkClusterStatus.Job job(FlinkCluster cluster) {
        return CrashRig.job(cluster);
    }
}

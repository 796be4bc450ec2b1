package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.rest.FlinkRestClient;
import dev.savepoints.flink.test.FlinkTestCluster;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service end to end on a real Flink and a real PostgreSQL: the decisions of the FlinkJob aggregate are
 * carried out by the gateway's sagas, and Flink's facts come back through the observer.
 */
class FlinkSavepointIntegrationTest {

    private static final RequestedBy ALICE = new RequestedBy("alice", Source.REST, null);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static FlinkTestCluster flink;
    private static FlinkRestClient flinkRest;
    private static PostgresTestDatabase.Database database;
    private static ServiceInstance service;
    private static StoredEvents events;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        flink = FlinkTestCluster.start();
        flinkRest = flink.restClient();
        database = PostgresTestDatabase.newDatabase("flink_e2e");
        events = new StoredEvents(database);
        service = ServiceInstance.start(database, FlinkJobs.serviceOn(flink));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        flink.close();
    }

    /** Rounds of the observer over every managed job done so far (its {@code flink_observer_round} timer). */
    private static long observerRounds() {
        return service.bean(MeterRegistry.class).get("flink_observer_round").timer().count();
    }

    private static JsonNode awaitEvent(JobId job, String type) {
        await().atMost(WAIT).until(() -> !events.ofType(job.toString(), type).isEmpty());
        List<StoredEvents.Stored> found = events.ofType(job.toString(), type);
        return found.get(found.size() - 1).payload();
    }

    private static String runningFlinkJob(JobId job, JobSettings settings) {
        service.commands().sendAndWait(new RegisterJob(job, "uid-" + job.name(), settings, Jobs.KUBECTL));
        JsonNode submitted = awaitEvent(job, "JobSubmitted");
        await().atMost(WAIT).until(() -> events.ofType(job.toString(), "JobStateChanged").stream()
                .anyMatch(e -> e.payload().at("/state").asText().equals("RUNNING")));
        return submitted.at("/flinkJobId").asText();
    }

    /** The job must have stopped writing into the test's temporary directory before JUnit deletes it. */
    private static void cancelAndWait(String flinkJobId) {
        flinkRest.cancel(flinkJobId);
        await().atMost(WAIT).until(() -> flinkRest.job(flinkJobId).globallyTerminal());
    }

    private static long count(Path out) throws Exception {
        return Files.exists(out) ? Long.parseLong(Files.readString(out).trim()) : 0;
    }

    @Test
    void aRegisteredJobIsSubmittedAndASavepointIsTakenToItsDirectory() throws Exception {
        JobId job = JobId.of("e2e", "savepoint");
        Path savepoints = work.resolve("savepoints");
        String flinkJobId = runningFlinkJob(job, FlinkJobs.settings(savepoints, RestartPolicy.NEVER,
                FlinkJobs.countingJob(work.resolve("count"), null, 10)));
        assertThat(flinkRest.job(flinkJobId).state()).isEqualTo("RUNNING");

        Decision decision = service.commands().sendAndWait(new TriggerSavepoint(job, TriggerReason.REST, null, ALICE));
        assertThat(decision.accepted()).isTrue();

        JsonNode completed = awaitEvent(job, "SavepointCompleted");
        assertThat(completed.at("/triggerId").asText()).isEqualTo(decision.id());
        assertThat(completed.at("/generation").asLong()).isEqualTo(1);
        Path location = Path.of(URI.create(completed.at("/location").asText()));
        assertThat(location).isDirectory().startsWith(savepoints);
        assertThat(location.resolve("_metadata")).isRegularFile();

        // Flink's checkpoint history lists this savepoint, which is ours: the observer must not record it again. The
        // marker: two more observer rounds done, so one of them started after the completion and read that history.
        long rounds = observerRounds();
        await().atMost(WAIT).until(() -> observerRounds() >= rounds + 2);
        assertThat(events.ofType(job.toString(), "SavepointCompleted")).hasSize(1);
        cancelAndWait(flinkJobId);
    }

    @Test
    void aSavepointTakenWithFlinksRestApiIsRecordedAsExternal() {
        JobId job = JobId.of("e2e", "external");
        String flinkJobId = runningFlinkJob(job, FlinkJobs.settings(work.resolve("savepoints"), RestartPolicy.NEVER,
                FlinkJobs.countingJob(work.resolve("count"), null, 10)));

        // What the user's guide shows: curl -X POST .../jobs/[JOB_ID]/savepoints, bypassing the service.
        String triggerId = flinkRest.triggerSavepoint(flinkJobId, work.resolve("by-hand").toUri().toString(), "CANONICAL",
                java.util.UUID.randomUUID().toString().replace("-", ""));
        String location = await().atMost(WAIT).until(() -> flinkRest.savepointStatus(flinkJobId, triggerId),
                status -> status.location() != null).location();

        JsonNode recorded = awaitEvent(job, "SavepointCompleted");
        assertThat(recorded.at("/reason").asText()).isEqualTo("EXTERNAL");
        assertThat(recorded.at("/location").asText()).isEqualTo(location);
        assertThat(recorded.at("/generation").asLong()).isEqualTo(1);
        cancelAndWait(flinkJobId);
    }

    @Test
    void aSavepointIntoAnUnwritableDirectoryIsReportedWithFlinksCause() throws Exception {
        JobId job = JobId.of("e2e", "unwritable");
        Path notADirectory = Files.writeString(work.resolve("a-file"), "not a directory");
        String flinkJobId = runningFlinkJob(job, FlinkJobs.settings(notADirectory.resolve("savepoints"), RestartPolicy.NEVER,
                FlinkJobs.countingJob(work.resolve("count"), null, 10)));

        service.commands().sendAndWait(new TriggerSavepoint(job, TriggerReason.REST, null, ALICE));

        JsonNode failed = awaitEvent(job, "SavepointFailed");
        assertThat(failed.at("/timedOut").asBoolean()).isFalse();
        assertThat(failed.at("/cause").asText()).containsIgnoringCase("exception");
        assertThat(events.ofType(job.toString(), "SavepointCompleted")).isEmpty();
        cancelAndWait(flinkJobId);
    }

    @Test
    void jobCancelStopsTheJobWithAFinalSavepoint() {
        JobId job = JobId.of("e2e", "cancel");
        String flinkJobId = runningFlinkJob(job, FlinkJobs.settings(work.resolve("savepoints"), RestartPolicy.NEVER,
                FlinkJobs.countingJob(work.resolve("count"), null, 10)));

        Decision decision = service.commands().sendAndWait(new RequestControl(job, "job-cancel", "key-1",
                new RequestedBy("kubectl-annotate", Source.KUBERNETES_ANNOTATION, null)));
        assertThat(decision.accepted()).isTrue();

        JsonNode succeeded = awaitEvent(job, "ControlSucceeded");
        JsonNode cancelled = awaitEvent(job, "JobCancelled");
        assertThat(succeeded.at("/name").asText()).isEqualTo("JOB_CANCEL");
        assertThat(Path.of(URI.create(cancelled.at("/finalSavepointLocation").asText()))).isDirectory();
        await().atMost(WAIT).until(() -> flinkRest.job(flinkJobId).globallyTerminal());
        assertThat(flinkRest.job(flinkJobId).state()).isEqualTo("FINISHED");
    }

    @Test
    void aFailedJobIsRestartedFromItsLatestSavepointAndCountsOn() throws Exception {
        JobId job = JobId.of("e2e", "restart");
        Path out = work.resolve("count");
        Path marker = work.resolve("fail-now");
        String firstFlinkJob = runningFlinkJob(job, FlinkJobs.settings(work.resolve("savepoints"),
                RestartPolicy.FROM_SAVEPOINT_ON_FAILURE, FlinkJobs.countingJob(out, marker, 10)));
        await().atMost(WAIT).until(() -> count(out) >= 30);
        long beforeSavepoint = count(out);
        service.commands().sendAndWait(new TriggerSavepoint(job, TriggerReason.REST, null, ALICE));
        String savepoint = awaitEvent(job, "SavepointCompleted").at("/location").asText();

        Files.writeString(marker, "fail");
        JsonNode failed = awaitEvent(job, "JobFailed");
        assertThat(failed.at("/cause").asText()).contains("failure injected by " + marker);
        Files.delete(marker); // the backoff (3 s) leaves time to let the restarted job run

        JsonNode restarted = awaitEvent(job, "RestartedFromSavepoint");
        assertThat(restarted.at("/savepointLocation").asText()).isEqualTo(savepoint);
        assertThat(restarted.at("/restartCount").asInt()).isEqualTo(1);
        String secondFlinkJob = restarted.at("/flinkJobId").asText();
        assertThat(secondFlinkJob).isNotEqualTo(firstFlinkJob);
        await().atMost(WAIT).until(() -> "RUNNING".equals(flinkRest.job(secondFlinkJob).state()));
        long failedAt = count(out);
        await().atMost(WAIT).until(() -> count(out) != failedAt);
        assertThat(count(out)).as("the restored job counts on from the savepoint, not from zero")
                .isGreaterThan(beforeSavepoint);
        cancelAndWait(secondFlinkJob);
    }
}

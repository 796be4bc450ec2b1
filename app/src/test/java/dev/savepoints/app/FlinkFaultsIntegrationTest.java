package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.test.FlinkTestCluster;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the service does when Flink is slow or away, on a real Flink. */
class FlinkFaultsIntegrationTest {

    private static final RequestedBy ALICE = new RequestedBy("alice", Source.REST, null);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void aSavepointPastItsTimeoutIsFailedAsTimedOutAndItsLateCompletionStillRecorded() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("timeout");
        StoredEvents events = new StoredEvents(database);
        JobId job = JobId.of("faults", "slow");
        try (FlinkTestCluster flink = FlinkTestCluster.start();
             ServiceInstance service = ServiceInstance.start(database,
                     "savepoints.flink.job-manager-url-template=" + flink.restAddress(),
                     "savepoints.flink.observe-interval=300ms",
                     "savepoints.flink.poll-initial=100ms",
                     "savepoints.flink.poll-max=500ms",
                     "savepoints.flink.savepoint-timeout=1s",
                     "savepoints.flink.late-watch=60s")) {
            // Each record takes 4 s next to the source, so the savepoint's barrier waits that long.
            service.commands().sendAndWait(new RegisterJob(job, "uid-slow", FlinkJobs.settings(work.resolve("savepoints"),
                    RestartPolicy.NEVER, FlinkJobs.countingJob(work.resolve("count"), null, 4000)), Jobs.KUBECTL));
            await().atMost(WAIT).until(() -> events.ofType(job.toString(), "JobStateChanged").stream()
                    .anyMatch(e -> e.payload().at("/state").asText().equals("RUNNING")));

            Decision decision = service.commands().sendAndWait(new TriggerSavepoint(job, TriggerReason.REST, null, ALICE));

            await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "SavepointCompleted").isEmpty());
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.count(
                    "select count(*) from qs_audit where trigger_id = '" + decision.id() + "' and outcome = 'SUCCEEDED'"
                            + " and outcome_detail like 'completed after the timeout at file:%'"))
                    .as("the audit shows what the user asked for happened after all").isEqualTo(1));
        }
        JsonNode failed = events.ofType(job.toString(), "SavepointFailed").get(0).payload();
        assertThat(failed.at("/timedOut").asBoolean()).isTrue();
        assertThat(failed.at("/cause").asText()).isEqualTo("not completed within PT1S");
        JsonNode completed = events.ofType(job.toString(), "SavepointCompleted").get(0).payload();
        assertThat(completed.at("/late").asBoolean()).isTrue();
        assertThat(completed.at("/triggerId").asText()).isEqualTo(failed.at("/triggerId").asText());
        assertThat(completed.at("/generation").asLong()).isEqualTo(1);
        assertThat(events.ofType(job.toString(), "SavepointTriggered")).hasSize(1);
    }

    @Test
    void aJobManagerThatIsAwayIsRetriedAndTheJobSubmittedOnceItIsBack() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("unreachable");
        StoredEvents events = new StoredEvents(database);
        JobId job = JobId.of("faults", "late-flink");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (ServiceInstance service = ServiceInstance.start(database,
                "savepoints.flink.job-manager-url-template=http://127.0.0.1:" + port,
                "savepoints.flink.observe-interval=300ms",
                "savepoints.flink.retry-initial=200ms",
                "savepoints.flink.retry-max=1s")) {
            service.commands().sendAndWait(new RegisterJob(job, "uid-late", FlinkJobs.settings(work.resolve("savepoints"),
                    RestartPolicy.NEVER, FlinkJobs.countingJob(work.resolve("count"), null, 10)), Jobs.KUBECTL));
            Thread.sleep(3_000); // several submission attempts find nobody
            assertThat(events.ofType(job.toString(), "JobSubmitted")).isEmpty();
            assertThat(events.ofType(job.toString(), "JobSubmissionFailed")).as("unreachable is not a failure").isEmpty();

            try (FlinkTestCluster flink = FlinkTestCluster.start(port)) {
                await().atMost(WAIT).until(() -> events.ofType(job.toString(), "JobStateChanged").stream()
                        .anyMatch(e -> e.payload().at("/state").asText().equals("RUNNING")));
                assertThat(events.ofType(job.toString(), "JobSubmitted")).hasSize(1);
            }
        }
    }
}

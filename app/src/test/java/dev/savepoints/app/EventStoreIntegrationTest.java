package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decisions are events in PostgreSQL, readable as JSON, and a new instance rebuilds the job from them. */
class EventStoreIntegrationTest {

    private static final JobId JOB = JobId.of("default", "flinkjobcluster-sample");
    private static final String FLINK_JOB = "c0c55ce62eba6ab41b6bb9288ef79c12";
    private static final RequestedBy ALICE = new RequestedBy("alice", Source.REST, null);

    private final PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("event_store");
    private final StoredEvents events = new StoredEvents(database);

    @Test
    void eventsAreStoredAsReadableJsonAndAJobIsRebuiltByANewInstance() {
        String triggerId;
        try (ServiceInstance first = ServiceInstance.start(database)) {
            Jobs.running(first.commands(), JOB, FLINK_JOB, Jobs.settings(null));
            Decision decision = first.commands().sendAndWait(new TriggerSavepoint(JOB, TriggerReason.REST, null, ALICE));
            assertThat(decision.accepted()).isTrue();
            triggerId = decision.id();
        }

        List<StoredEvents.Stored> stored = events.of(JOB.toString());
        assertThat(stored).extracting(StoredEvents.Stored::type).containsExactly("JobRegistered",
                "JobSubmitted", "JobStateChanged", "SavepointTriggered");
        JsonNode registered = stored.get(0).payload();
        assertThat(registered.at("/jobId/namespace").asText()).isEqualTo("default");
        assertThat(registered.at("/jobId/name").asText()).isEqualTo("flinkjobcluster-sample");
        assertThat(registered.at("/settings/savepointsDir").asText()).isEqualTo("file:///tmp/savepoints");
        assertThat(registered.at("/settings/restartPolicy").asText()).isEqualTo("FROM_SAVEPOINT_ON_FAILURE");
        assertThat(registered.at("/requestedBy/actor").asText()).isEqualTo("kubectl-client-side-apply");
        JsonNode triggered = stored.get(3).payload();
        assertThat(triggered.at("/triggerId").asText()).isEqualTo(triggerId).matches("[0-9a-f]{32}");
        assertThat(triggered.at("/reason").asText()).isEqualTo("REST");
        assertThat(triggered.at("/requestedBy/actor").asText()).isEqualTo("alice");
        assertThat(triggered.at("/triggeredAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        try (ServiceInstance second = ServiceInstance.start(database)) {
            // The savepoint in flight was recorded before the restart: a second one is refused ...
            Decision again = second.commands().sendAndWait(new TriggerSavepoint(JOB, TriggerReason.REST, null, ALICE));
            assertThat(again.outcome()).isEqualTo(Decision.Outcome.REJECTED);
            assertThat(again.reason()).isEqualTo("savepoint " + triggerId + " is still in progress");
            // ... and its completion, reported after the restart, is the job's first generation.
            second.commands().sendAndWait(new CompleteSavepoint(JOB, triggerId, "file:///tmp/savepoints/savepoint-c0c55c-1"));
        }

        JsonNode completed = events.ofType(JOB.toString(), "SavepointCompleted").get(0).payload();
        assertThat(completed.at("/generation").asLong()).isEqualTo(1);
        assertThat(completed.at("/location").asText()).isEqualTo("file:///tmp/savepoints/savepoint-c0c55c-1");
        assertThat(completed.at("/late").asBoolean()).isFalse();
        assertThat(events.ofType(JOB.toString(), "SavepointRejected")).hasSize(1);
    }
}

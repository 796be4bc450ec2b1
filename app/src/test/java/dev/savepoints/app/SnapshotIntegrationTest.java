package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

/** A job with a long history is loaded from a snapshot plus the events after it, and continues correctly. */
class SnapshotIntegrationTest {

    private static final JobId JOB = JobId.of("default", "long-history");
    private static final RequestedBy ALICE = new RequestedBy("alice", Source.REST, null);

    private final PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("snapshots");

    @Test
    void snapshotsAreTakenAndAJobLoadedFromOneContinuesItsGenerations() throws Exception {
        try (ServiceInstance first = ServiceInstance.start(database, "savepoints.command.snapshot-threshold=10")) {
            Jobs.running(first.commands(), JOB, "0000000000000000000000000000000b", Jobs.settings(null));
            takeSavepoints(first.commands(), 12);
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshotCount() > 0);
        }
        JsonNode snapshot = latestSnapshot();
        assertThat(snapshot.at("/savepoints/generation").asLong()).isBetween(1L, 12L);
        assertThat(snapshot.at("/jobId/name").asText()).isEqualTo("long-history");

        try (ServiceInstance second = ServiceInstance.start(database, "savepoints.command.snapshot-threshold=10")) {
            takeSavepoints(second.commands(), 1);
        }
        long lastGeneration = new StoredEvents(database).ofType(JOB.toString(), "SavepointCompleted").stream()
                .mapToLong(e -> e.payload().at("/generation").asLong()).max().orElseThrow();
        assertThat(lastGeneration).isEqualTo(13);
    }

    private static void takeSavepoints(CommandGateway commands, int count) {
        for (int i = 0; i < count; i++) {
            Decision decision = commands.sendAndWait(new TriggerSavepoint(JOB, TriggerReason.REST, null, ALICE));
            assertThat(decision.accepted()).as(decision.toString()).isTrue();
            commands.sendAndWait(new CompleteSavepoint(JOB, decision.id(), "file:///tmp/savepoints/savepoint-" + decision.id()));
        }
    }

    private long snapshotCount() {
        return new StoredEvents(database).count("select count(*) from snapshot_event_entry");
    }

    private JsonNode latestSnapshot() throws Exception {
        try (Connection connection = database.connect(); ResultSet rs = connection.createStatement().executeQuery(
                "select convert_from(payload, 'UTF8') from snapshot_event_entry order by sequence_number desc limit 1")) {
            rs.next();
            return new ObjectMapper().readTree(rs.getString(1));
        }
    }
}

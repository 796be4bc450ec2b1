package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

/** A job with a long history is loaded from a snapshot plus the events after it, and continues correctly. */
class SnapshotIntegrationTest {

    private static final JobId JOB = JobId.of("default", "long-history");
    private static final RequestedBy ALICE = new RequestedBy("alice", Source.REST, null);
    private static final RequestedBy ANNOTATOR = new RequestedBy("kubectl-annotate", Source.KUBERNETES_ANNOTATION, null);
    /** The revision of FlinkJob's snapshot shape ({@code @Revision} on the aggregate). */
    private static final String REVISION = "5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("snapshots");
    private final StoredEvents events = new StoredEvents(database);

    @Test
    void snapshotsAreTakenAndAJobLoadedFromOneContinuesItsGenerations() throws Exception {
        try (ServiceInstance first = ServiceInstance.start(database, "savepoints.command.snapshot-threshold=10")) {
            Jobs.running(first.commands(), JOB, "0000000000000000000000000000000b", Jobs.settings(null));
            takeSavepoints(first.commands(), JOB, 12);
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshotCount() > 0);
        }
        JsonNode snapshot = latestSnapshot();
        assertThat(snapshot.at("/savepoints/generation").asLong()).isBetween(1L, 12L);
        assertThat(snapshot.at("/jobId/name").asText()).isEqualTo("long-history");
        assertThat(snapshot.at("/retention/retained").size()).as("the retained savepoints are in the snapshot").isPositive();
        assertThat(events.rows("select distinct coalesce(payload_revision, 'none') from snapshot_event_entry"))
                .containsExactly(REVISION);

        try (ServiceInstance second = ServiceInstance.start(database, "savepoints.command.snapshot-threshold=10")) {
            takeSavepoints(second.commands(), JOB, 1);
        }
        long lastGeneration = events.ofType(JOB.toString(), "SavepointCompleted").stream()
                .mapToLong(e -> e.payload().at("/generation").asLong()).max().orElseThrow();
        assertThat(lastGeneration).isEqualTo(13);
        // loaded from the snapshot, the retention policy (10 by default) still knows the savepoints it keeps: the
        // 13th disposes of the 3rd
        String third = events.ofType(JOB.toString(), "SavepointCompleted").get(2).payload().at("/triggerId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.ofType(JOB.toString(), "SavepointDisposalRequested")
                .stream().anyMatch(e -> e.payload().at("/triggerId").asText().equals(third)));
    }

    /**
     * The snapshot of a version before the aggregate was split into members (no revision, every field on FlinkJob):
     * read into the new shape it would lose the job's state, so it is not used and the job is loaded from its events.
     * The old snapshot says something the events do not (generation 40, no control, no savepoint in flight), so
     * its use would show.
     */
    @Test
    void aSnapshotOfThePreviousShapeIsNotUsedAndTheJobIsLoadedFromItsEvents() throws Exception {
        JobId job = JobId.of("default", "previous-shape");
        String flinkJob = "0000000000000000000000000000000c";
        String controlSavepoint;
        // unreachable-after-rounds: the job's JobManager never answers, and the control's savepoint must still be taken
        try (ServiceInstance first = ServiceInstance.start(database, "savepoints.flink.unreachable-after-rounds=1000")) {
            Jobs.running(first.commands(), job, flinkJob, Jobs.settings(null));
            takeSavepoints(first.commands(), job, 3);
            Decision control = first.commands().sendAndWait(new RequestControl(job, "savepoint", "annotate@1", ANNOTATOR));
            assertThat(control.accepted()).as(control.toString()).isTrue();
            controlSavepoint = events.ofType(job.toString(), "SavepointTriggered").get(3).payload().at("/triggerId").asText();
        }
        assertThat(snapshotCount()).as("the job's history is below the snapshot threshold").isZero();
        writePreviousShapeSnapshot(job, flinkJob);

        try (ServiceInstance second = ServiceInstance.start(database, "savepoints.flink.unreachable-after-rounds=1000")) {
            // the savepoint in flight, the control and the generation come from the events
            second.commands().sendAndWait(new CompleteSavepoint(job, controlSavepoint, "file:///tmp/savepoints/control"));
            Decision again = second.commands().sendAndWait(new RequestControl(job, "savepoint", "annotate@2", ANNOTATOR));
            assertThat(again.accepted()).as(again.toString()).isTrue();
        }
        List<StoredEvents.Stored> completed = events.ofType(job.toString(), "SavepointCompleted");
        assertThat(completed.get(completed.size() - 1).payload().at("/generation").asLong()).isEqualTo(4);
        assertThat(events.ofType(job.toString(), "ControlSucceeded")).hasSize(1);
        assertThat(events.ofType(job.toString(), "ControlRequested")).hasSize(2);
        assertThat(events.rows("select coalesce(payload_revision, 'none') from snapshot_event_entry"))
                .as("the old snapshot is left alone, only not used").containsExactly("none");
    }

    /**
     * A snapshot of the new shape cannot be read by the previous version either (one replica of each runs during a
     * rolling upgrade): its {@code state} was a JobState and is now the member with the Flink job's state machine,
     * so that version fails on the snapshot instead of reading a job without its registration.
     */
    @Test
    void aSnapshotOfTheNewShapeDoesNotReadAsThePreviousShape() throws Exception {
        try (ServiceInstance service = ServiceInstance.start(database, "savepoints.command.snapshot-threshold=5")) {
            Jobs.running(service.commands(), JOB, "0000000000000000000000000000000d", Jobs.settings(null));
            takeSavepoints(service.commands(), JOB, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshotCount() > 0);
            ObjectMapper serviceJson = service.bean(ObjectMapper.class);
            String snapshot = latestSnapshot().toString();
            assertThat(serviceJson.readValue("{\"registered\":true,\"state\":\"RUNNING\",\"savepoints\":{}}",
                    PreviousShape.class).registered).as("the previous shape reads, unknown properties ignored").isTrue();
            assertThatThrownBy(() -> serviceJson.readValue(snapshot, PreviousShape.class))
                    .isInstanceOf(MismatchedInputException.class)
                    .hasMessageContaining("JobState");
        }
    }

    /** Some fields of the previous FlinkJob, as that version's snapshot reading would fill them. */
    @SuppressWarnings("unused")
    @JsonAutoDetect(fieldVisibility = Visibility.ANY)
    static final class PreviousShape {
        private String id;
        boolean registered;
        private int incarnation;
        private JobState state;
    }

    /** What the previous version stored: every field on FlinkJob, the ledger the one member, no revision. */
    private void writePreviousShapeSnapshot(JobId job, String flinkJob) throws Exception {
        JsonNode registered = events.ofType(job.toString(), "JobRegistered").get(0).payload();
        String payload = """
                {"id":"%s","jobId":%s,"uid":"%s","incarnation":1,"registered":true,"settings":%s,
                 "rejectedSettings":null,"state":"RUNNING","flinkJobId":"%s",
                 "savepoints":{"incarnation":1,"generation":40,"generationTriggered":0,"rejectedGeneration":null,
                               "latest":null,"attempts":[]},
                 "activeControl":null,"lastControlRequestKey":null,"consecutiveRestarts":0,"restartCount":0,
                 "automaticSavepointSchedules":0,"restartSchedules":0,"jobManagerUnreachableSince":null,
                 "deferredSavepoint":null}""".formatted(job, registered.get("jobId"), registered.get("uid").asText(),
                registered.get("settings"), flinkJob);
        JSON.readTree(payload); // well-formed
        long lastSequence = events.count("select max(sequence_number) from domain_event_entry where aggregate_identifier = '"
                + job + "'");
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement("""
                insert into snapshot_event_entry (aggregate_identifier, sequence_number, type, event_identifier, time_stamp,
                    payload_type, payload_revision, payload, meta_data)
                values (?, ?, 'FlinkJob', ?, ?, 'dev.savepoints.command.aggregate.FlinkJob', null, convert_to(?, 'UTF8'),
                    convert_to('{}', 'UTF8'))""")) {
            insert.setString(1, job.toString());
            insert.setLong(2, lastSequence);
            insert.setString(3, UUID.randomUUID().toString());
            insert.setString(4, Instant.now().toString());
            insert.setString(5, payload);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    private static void takeSavepoints(CommandGateway commands, JobId job, int count) {
        for (int i = 0; i < count; i++) {
            Decision decision = commands.sendAndWait(new TriggerSavepoint(job, TriggerReason.REST, null, ALICE));
            assertThat(decision.accepted()).as(decision.toString()).isTrue();
            commands.sendAndWait(new CompleteSavepoint(job, decision.id(), "file:///tmp/savepoints/savepoint-" + decision.id()));
        }
    }

    private long snapshotCount() {
        return events.count("select count(*) from snapshot_event_entry");
    }

    private JsonNode latestSnapshot() throws Exception {
        try (Connection connection = database.connect(); ResultSet rs = connection.createStatement().executeQuery(
                "select convert_from(payload, 'UTF8') from snapshot_event_entry order by sequence_number desc limit 1")) {
            rs.next();
            return JSON.readTree(rs.getString(1));
        }
    }
}

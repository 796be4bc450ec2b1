package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.command.aggregate.FlinkJob;
import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateScopeDescriptor;
import org.junit.jupiter.api.Test;

/** Automatic savepoints are persisted deadlines: they survive a restart and fire once with two replicas. */
class DeadlineIntegrationTest {

    private final PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("deadlines");
    private final StoredEvents events = new StoredEvents(database);

    /**
     * How many deadlines due at or before {@code by} are still in db-scheduler's table. A deadline's row is deleted
     * once it ran, so at 0 none of them can fire (again): the marker after which the absence of a second firing is
     * asserted.
     */
    private long deadlinesDueBy(Instant by) {
        return events.count("select count(*) from scheduled_tasks where task_name = 'AxonDeadline' and execution_time <= '"
                + by + "'::timestamptz");
    }

    /** When the job's latest automatic savepoint is due. */
    private Instant automaticSavepointDue(JobId job) {
        List<StoredEvents.Stored> scheduled = events.ofType(job.toString(), "AutomaticSavepointScheduled");
        return Instant.parse(scheduled.get(scheduled.size() - 1).payload().at("/dueAt").asText());
    }

    @Test
    void aScheduledSavepointDueWhileTheServiceWasDownIsTakenAfterTheRestart() {
        JobId job = JobId.of("default", "scheduled");
        Instant stopped;
        try (ServiceInstance first = ServiceInstance.start(database)) {
            Jobs.running(first.commands(), job, "0000000000000000000000000000000a", Jobs.settings(4));
            assertThat(events.count("select count(*) from scheduled_tasks where task_name = 'AxonDeadline'")).isEqualTo(1);
        }
        stopped = Instant.now();
        Instant due = automaticSavepointDue(job);
        assertThat(due).as("the deadline must not have fired before the shutdown").isAfter(stopped);
        assertThat(events.ofType(job.toString(), "SavepointTriggered")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(due)); // due while no instance runs

        Instant restarted = Instant.now();
        try (ServiceInstance second = ServiceInstance.start(database)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !events.ofType(job.toString(), "SavepointTriggered").isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() -> deadlinesDueBy(due) == 0); // it ran and cannot run again
        }
        List<StoredEvents.Stored> triggered = events.ofType(job.toString(), "SavepointTriggered");
        assertThat(triggered).hasSize(1);
        assertThat(triggered.get(0).payload().at("/reason").asText()).isEqualTo("SCHEDULED");
        assertThat(triggered.get(0).payload().at("/requestedBy/source").asText()).isEqualTo("SCHEDULE");
        assertThat(triggered.get(0).timestamp()).isAfter(restarted).isAfter(stopped);
    }

    /**
     * The version before numbered schedules cancelled a superseded deadline by name and scheduled without a payload:
     * such a deadline, pending across the upgrade, still takes its savepoint, unless a numbered schedule replaced it.
     */
    @Test
    void aDeadlineScheduledByThePreviousVersionCountsUntilANewScheduleReplacesIt() {
        JobId honoured = JobId.of("upgrade", "pending-deadline");
        JobId replaced = JobId.of("upgrade", "replaced-deadline");
        try (ServiceInstance service = ServiceInstance.start(database)) {
            for (JobId job : List.of(honoured, replaced)) {
                runningAsBeforeTheUpgrade(service, job);
                service.bean(DeadlineManager.class).schedule(Duration.ofSeconds(2), FlinkJob.AUTO_SAVEPOINT, null,
                        new AggregateScopeDescriptor("FlinkJob", job.toString()));
            }
            Instant bothDue = Instant.now().plusSeconds(2); // both were scheduled before, 2 s ahead
            service.commands().sendAndWait(new ChangeJobSettings(replaced, Jobs.settings(3600), Jobs.KUBECTL));
            await().atMost(Duration.ofSeconds(30)).until(() -> !events.ofType(honoured.toString(), "SavepointTriggered").isEmpty());
            // the marker: both old deadlines ran (their rows are gone); the replaced one's savepoint would be there now
            await().atMost(Duration.ofSeconds(30)).until(() -> deadlinesDueBy(bothDue) == 0);
        }
        assertThat(events.ofType(honoured.toString(), "SavepointTriggered")).hasSize(1)
                .allSatisfy(e -> assertThat(e.payload().at("/reason").asText()).isEqualTo("SCHEDULED"));
        assertThat(events.ofType(replaced.toString(), "SavepointTriggered")).isEmpty();
    }

    /** A running job with automatic savepoints every 2 s whose history has no AutomaticSavepointScheduled. */
    private static void runningAsBeforeTheUpgrade(ServiceInstance service, JobId job) {
        String flinkJobId = String.format("%032x", job.name().hashCode() & 0xffff);
        service.commands().sendAndWait(new RegisterJob(job, "uid-" + job.name(), Jobs.settings(2), Jobs.KUBECTL));
        service.commands().sendAndWait(new RecordJobSubmitted(job, flinkJobId));
        EventStore store = service.bean(EventStore.class);
        long next = store.lastSequenceNumberFor(job.toString()).orElseThrow() + 1;
        store.publish(new GenericDomainEventMessage<>("FlinkJob", job.toString(), next,
                new JobStateChanged(job, flinkJobId, JobState.DEPLOYING, JobState.RUNNING)));
    }

    @Test
    void twoReplicasOnOneDatabaseFireEachDeadlineOnce() {
        List<JobId> jobs = IntStream.range(0, 6).mapToObj(i -> JobId.of("replicas", "job-" + i)).toList();
        try (ServiceInstance first = ServiceInstance.start(database, "db-scheduler.scheduler-name=replica-1");
             ServiceInstance second = ServiceInstance.start(database, "db-scheduler.scheduler-name=replica-2")) {
            for (int i = 0; i < jobs.size(); i++) {
                ServiceInstance via = i % 2 == 0 ? first : second; // both replicas take commands
                Jobs.running(via.commands(), jobs.get(i), String.format("%032x", i + 1), Jobs.settings(2));
            }
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    jobs.stream().allMatch(job -> !events.ofType(job.toString(), "SavepointTriggered").isEmpty()));
            Instant lastDue = jobs.stream().map(this::automaticSavepointDue).max(Instant::compareTo).orElseThrow();
            // the marker: every one of these deadlines ran and left the table, so neither replica can fire it again
            await().atMost(Duration.ofSeconds(30)).until(() -> deadlinesDueBy(lastDue) == 0);
        }
        for (JobId job : jobs) {
            assertThat(events.ofType(job.toString(), "SavepointTriggered")).as(job.toString()).hasSize(1);
        }
    }
}

package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Concurrent commands commit their events out of index order; the tracking processors then see an event that
 * fills a gap after one with a higher index. The audit log still gives each action its own event's place in the
 * event store (found by a benchmark with a hundred jobs, where the audit processor stopped on a duplicate key).
 */
class AuditSequenceIntegrationTest {

    @Test
    void anEventCommittedAfterALaterOneKeepsItsOwnSequence() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("audit_sequence");
        StoredEvents events = new StoredEvents(database);
        JobId first = JobId.of("audit", "appended-first");
        JobId second = JobId.of("audit", "committed-first");
        try (ServiceInstance service = ServiceInstance.start(database)) {
            TransactionTemplate transaction = new TransactionTemplate(service.bean(PlatformTransactionManager.class));
            CountDownLatch appended = new CountDownLatch(1);
            CountDownLatch otherCommitted = new CountDownLatch(1);
            CompletableFuture<Void> held = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
                service.commands().sendAndWait(new RegisterJob(first, "uid-1", Jobs.settings(null), Jobs.KUBECTL));
                appended.countDown();
                waitFor(otherCommitted); // its event has the lower index but commits last
            }));
            assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
            service.commands().sendAndWait(new RegisterJob(second, "uid-2", Jobs.settings(null), Jobs.KUBECTL));
            otherCommitted.countDown();
            held.get(30, TimeUnit.SECONDS);

            assertThat(events.count("select count(*) from domain_event_entry e1, domain_event_entry e2 where "
                    + "e1.aggregate_identifier = '" + first + "' and e2.aggregate_identifier = '" + second
                    + "' and e1.global_index < e2.global_index")).as("the held event has the lower index").isPositive();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    events.count("select count(*) from qs_audit where action = 'register'") == 2);
            assertThat(events.count("select count(*) from qs_audit a join domain_event_entry e on e.event_identifier = a.event_id"
                    + " where a.global_index = e.global_index and a.action = 'register'")).isEqualTo(2);
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one database append to the same job at the same moment: the event store lets one append win
 * and refuses the other (optimistic concurrency on the job's stream); the loser is retried on the job as it now is,
 * so every decision of both replicas is recorded, none twice.
 */
class ReplicaCommandsIntegrationTest {

    private static final int CHANGES_PER_REPLICA = 15;

    @Test
    void commandsOfTwoReplicasOnOneJobAllLand() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("replica_commands");
        StoredEvents events = new StoredEvents(database);
        JobId job = new JobId("default", "contended");
        try (ServiceInstance first = ServiceInstance.start(database); ServiceInstance second = ServiceInstance.start(database)) {
            first.commands().sendAndWait(new RegisterJob(job, "uid-contended", Jobs.settings(null), Jobs.KUBECTL));
            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<Void>> replicas = new ArrayList<>();
            int replica = 0;
            for (ServiceInstance instance : List.of(first, second)) {
                int offset = 1_000 * ++replica;
                replicas.add(CompletableFuture.runAsync(() -> {
                    await(start);
                    for (int i = 1; i <= CHANGES_PER_REPLICA; i++) {
                        // each a different interval, so each is a change and appends an event
                        instance.commands().sendAndWait(new ChangeJobSettings(job, Jobs.settings(offset + i), Jobs.KUBECTL));
                    }
                }));
            }
            CompletableFuture.allOf(replicas.toArray(CompletableFuture[]::new)).join();

            List<Integer> intervals = events.ofType(job.toString(), "JobSettingsChanged").stream()
                    .map(e -> e.payload().path("settings").path("autoSavepointSeconds").asInt()).toList();
            assertThat(intervals).hasSize(2 * CHANGES_PER_REPLICA).doesNotHaveDuplicates();
            assertThat(intervals.stream().filter(i -> i < 2_000)).as("first replica's, in its order").isSorted().hasSize(CHANGES_PER_REPLICA);
            assertThat(intervals.stream().filter(i -> i > 2_000)).as("second replica's, in its order").isSorted().hasSize(CHANGES_PER_REPLICA);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.savepoints.flink.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.rest.SavepointStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SavepointWatcherTest {

    private static final JobId JOB = JobId.of("default", "flinkjobcluster-sample");
    private static final String FLINK_JOB = "c0c55ce62eba6ab41b6bb9288ef79c12";
    private static final String TRIGGER = "21db90b88ce7a6e201032d9f764cdd64";
    private static final String LOCATION = "gs://my-bucket/savepoints/savepoint-c0c55c-75ed63ba63b2";

    private final ScriptedFlinkGateway flink = new ScriptedFlinkGateway();
    private final List<Object> reported = new CopyOnWriteArrayList<>();
    private SavepointWatcher watcher;
    private ScheduledThreadPoolExecutor executor;

    /** A watcher that watches nothing, for the saga's own tests. */
    static SavepointWatcher off(FlinkGateway flink) {
        return new SavepointWatcher(flink, null, null, Clock.systemUTC(), Duration.ofMillis(10), Duration.ofSeconds(30), 0);
    }

    private SavepointWatcher watcher(Duration window, int capacity) {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        for (Class<?> type : List.of(CompleteSavepoint.class, FailSavepoint.class)) {
            bus.subscribe(type.getName(), command -> {
                reported.add(command.getPayload());
                return null;
            });
        }
        CommandGateway commands = DefaultCommandGateway.builder().commandBus(bus).build();
        executor = new ScheduledThreadPoolExecutor(2);
        watcher = new SavepointWatcher(flink, commands, executor, Clock.systemUTC(),
                Duration.ofMillis(10), window, capacity);
        return watcher;
    }

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void aCompletionIsReportedAsSoonAsFlinkSaysSo() {
        flink.onStatus(SavepointStatus.inProgress(), SavepointStatus.inProgress(), SavepointStatus.completed(LOCATION));
        assertThat(watcher(Duration.ofSeconds(30), 10).watch(JOB, FLINK_JOB, TRIGGER)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> !reported.isEmpty());
        assertThat(reported).containsExactly(new CompleteSavepoint(JOB, TRIGGER, LOCATION));
        assertThat(flink.calls).containsExactly("status " + TRIGGER, "status " + TRIGGER, "status " + TRIGGER);
        assertThat(watcher.watched()).isZero();
    }

    @Test
    void aFailureIsReportedWithFlinksCause() {
        flink.onStatus(SavepointStatus.failed("java.io.IOException: disk full"));
        watcher(Duration.ofSeconds(30), 10).watch(JOB, FLINK_JOB, TRIGGER);

        await().atMost(Duration.ofSeconds(10)).until(() -> !reported.isEmpty());
        assertThat(reported).containsExactly(new FailSavepoint(JOB, TRIGGER, "java.io.IOException: disk full", false));
    }

    @Test
    void aCallThatFailsLeavesTheSavepointToTheSagasPolls() {
        flink.onStatus(ScriptedFlinkGateway.unavailable(), SavepointStatus.completed(LOCATION));
        watcher(Duration.ofSeconds(30), 10).watch(JOB, FLINK_JOB, TRIGGER);

        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.watched() == 0);
        assertThat(flink.calls).containsExactly("status " + TRIGGER);
        assertThat(reported).isEmpty();
    }

    @Test
    void aSavepointOlderThanTheWindowIsNoLongerPolled() {
        watcher(Duration.ofMillis(100), 10).watch(JOB, FLINK_JOB, TRIGGER); // Flink keeps answering IN_PROGRESS

        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.watched() == 0);
        int calls = flink.calls.size();
        // the marker: no poll waits or runs any more, so none can follow
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.getQueue().isEmpty() && executor.getActiveCount() == 0);
        assertThat(flink.calls).hasSize(calls);
        assertThat(calls).as("polled until then").isPositive();
        assertThat(reported).isEmpty();
    }

    @Test
    void noMoreThanItsCapacityIsWatchedAtOnce() {
        SavepointWatcher full = watcher(Duration.ofSeconds(30), 1);
        assertThat(full.watch(JOB, FLINK_JOB, TRIGGER)).isTrue();
        assertThat(full.watch(JOB, FLINK_JOB, "another-trigger")).isFalse();
        assertThat(full.watched()).isEqualTo(1);
    }

    @Test
    void aWatcherWithoutCapacityIsOff() {
        assertThat(off(flink).watch(JOB, FLINK_JOB, TRIGGER)).isFalse();
        assertThat(flink.calls).isEmpty();
    }
}

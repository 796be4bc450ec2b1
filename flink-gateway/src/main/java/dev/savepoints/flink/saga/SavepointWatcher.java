package dev.savepoints.flink.saga;

import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.LogContext;
import dev.savepoints.flink.rest.FlinkCallFailed;
import dev.savepoints.flink.rest.SavepointStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Flink how a savepoint just triggered goes every few milliseconds at first, and reports its end at once.
 * <p>The saga's persisted polls stay the savepoint's source of truth: they survive a restart and take over whatever
 * this misses (a crash, a call that failed, more savepoints at once than {@code capacity}, a savepoint longer than
 * {@code window}). A poll through a deadline costs several database writes and waits for db-scheduler's next look,
 * so these polls are what lets a savepoint of a few hundred milliseconds show as completed within a few more. The
 * waits grow with the savepoint's age (an eighth of it), so a long one costs few calls.
 */
public class SavepointWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SavepointWatcher.class);

    private final FlinkGateway flink;
    private final CommandGateway commands;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Duration initial;
    private final Duration window;
    private final int capacity;
    private final AtomicInteger watched = new AtomicInteger();

    public SavepointWatcher(FlinkGateway flink, CommandGateway commands, ScheduledExecutorService executor, Clock clock,
                            Duration initial, Duration window, int capacity) {
        this.flink = flink;
        this.commands = commands;
        this.executor = executor;
        this.clock = clock;
        this.initial = initial;
        this.window = window;
        this.capacity = capacity;
    }

    private record Watch(JobId job, String flinkJobId, String triggerId, Instant since) {
    }

    /** Starts watching a savepoint Flink took; false when as many are watched already (the saga's polls suffice). */
    public boolean watch(JobId job, String flinkJobId, String triggerId) {
        if (watched.incrementAndGet() > capacity) {
            watched.decrementAndGet();
            return false;
        }
        try {
            executor.schedule(() -> poll(new Watch(job, flinkJobId, triggerId, clock.instant())),
                    initial.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) { // shutting down
            watched.decrementAndGet();
            return false;
        }
    }

    /** Stops watching: whatever was watched is left to the saga's polls. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** How many savepoints are being watched. */
    public int watched() {
        return watched.get();
    }

    private void poll(Watch watch) {
        try (LogContext ignored = LogContext.of(watch.job(), watch.triggerId(), watch.flinkJobId())) {
            SavepointStatus status = flink.savepointStatus(watch.job(), watch.flinkJobId(), watch.triggerId());
            switch (status.state()) {
                case COMPLETED -> report(new CompleteSavepoint(watch.job(), watch.triggerId(), status.location()));
                case FAILED -> report(new FailSavepoint(watch.job(), watch.triggerId(), status.failureCause(), false));
                case IN_PROGRESS -> again(watch);
            }
        } catch (FlinkCallFailed e) {
            log.debug("Savepoint {} of job {} no longer watched: {}", watch.triggerId(), watch.job(), e.getMessage());
            watched.decrementAndGet();
        } catch (RuntimeException e) {
            log.warn("Savepoint {} of job {} no longer watched", watch.triggerId(), watch.job(), e);
            watched.decrementAndGet();
        }
    }

    private void again(Watch watch) {
        Duration age = Duration.between(watch.since(), clock.instant());
        if (age.compareTo(window) >= 0) {
            watched.decrementAndGet(); // a long savepoint: the saga's polls, which grow further apart, see its end
            return;
        }
        Duration wait = age.dividedBy(8);
        try {
            executor.schedule(() -> poll(watch), Math.max(wait.toNanos(), initial.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) { // shutting down
            watched.decrementAndGet();
        }
    }

    /** The aggregate takes a result once; if this one does not land, the saga's next poll reports it again. */
    private void report(Object result) {
        watched.decrementAndGet();
        try {
            commands.sendAndWait(result);
        } catch (RuntimeException e) {
            log.debug("Result {} not recorded by the watcher: {}", result, e.getMessage());
        }
    }
}

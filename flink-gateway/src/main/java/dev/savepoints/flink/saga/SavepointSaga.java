package dev.savepoints.flink.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.LogContext;
import dev.savepoints.flink.FlinkGatewayProperties;
import dev.savepoints.flink.metrics.SavepointCallMetrics;
import dev.savepoints.flink.rest.FlinkCallFailed;
import dev.savepoints.flink.rest.SavepointStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one savepoint out on Flink: trigger (with the aggregate's trigger id, so a retried call takes one
 * savepoint), poll with backoff, report the result. A {@link SavepointWatcher} polls a savepoint just taken far more
 * often, in memory, and usually reports first. Every wait here is a persisted deadline, so a restart of the
 * service resumes where it was. A savepoint not done within the timeout is failed as timed out and still
 * watched for a while, so a late completion is recorded, not lost.
 * <p>Deadline handlers take the due time first: Axon reads an unannotated first parameter as the deadline's
 * payload, and these deadlines carry none.
 */
@Saga
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class SavepointSaga {

    static final String TRIGGER_ID = "triggerId";
    static final String CALL = "savepoint-call";
    static final String POLL = "savepoint-poll";
    static final String TIMEOUT = "savepoint-timeout";
    static final String LATE_WATCH_END = "savepoint-late-watch-end";

    private static final Logger log = LoggerFactory.getLogger(SavepointSaga.class);

    private JobId jobId;
    private String flinkJobId;
    private String triggerId;
    private String targetDirectory;
    private SavepointFormatType formatType;
    private boolean stopJob;
    private TriggerReason reason;
    private Instant decidedAt;
    private boolean acknowledged;
    /** Flink took the trigger: only then can a savepoint still complete after the timeout. */
    private boolean triggered;
    /** When Flink took the trigger: how long the savepoint has taken sets how soon it is asked about again. */
    private Instant takenAt;
    /** The id of the latest deadline of each name. */
    private Map<String, String> deadlineIds = new HashMap<>();
    private int callAttempts;
    private int polls;
    private boolean timedOut;
    private boolean reported;
    /** The last call Flink could not take, so that a timeout says why it came to that. */
    private String lastError;

    @StartSaga
    @SagaEventHandler(associationProperty = TRIGGER_ID)
    public void on(SavepointTriggered event, @Timestamp Instant at, FlinkGateway flink, CommandGateway commands,
                   DeadlineManager deadlines, FlinkGatewayProperties properties, SavepointCallMetrics metrics,
                   SavepointWatcher watcher) {
        jobId = event.jobId();
        flinkJobId = event.flinkJobId();
        triggerId = event.triggerId();
        targetDirectory = event.targetDirectory();
        formatType = event.formatType();
        stopJob = event.stopJob();
        reason = event.reason();
        decidedAt = event.triggeredAt();
        schedule(deadlines, properties.savepointTimeout(), TIMEOUT);
        call(at, flink, commands, deadlines, properties, metrics, watcher);
    }

    @DeadlineHandler(deadlineName = CALL)
    public void retryCall(@Timestamp Instant due, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                          FlinkGatewayProperties properties, SavepointCallMetrics metrics, SavepointWatcher watcher) {
        fired(CALL);
        try (LogContext ignored = logContext()) {
            call(due, flink, commands, deadlines, properties, metrics, watcher);
        }
    }

    private LogContext logContext() {
        return LogContext.of(jobId, triggerId, flinkJobId);
    }

    private void call(Instant now, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                      FlinkGatewayProperties properties, SavepointCallMetrics metrics, SavepointWatcher watcher) {
        if (timedOut) {
            // Failed already, so the job may take its next savepoint: a trigger sent now would run beside it.
            return;
        }
        try {
            flink.triggerSavepoint(jobId, flinkJobId, targetDirectory, formatType, triggerId, stopJob);
            triggered = true;
            takenAt = now;
            if (!acknowledged && decidedAt != null && reason != null) {
                acknowledged = true; // a trigger repeated after Flink forgot it is not a new request
                metrics.triggerAcknowledged(reason, stopJob, decidedAt);
            }
            log.info("Savepoint {} of job {} (Flink job {}) triggered{}", triggerId, jobId, flinkJobId,
                    stopJob ? ", stopping the job" : "");
            polls = 0;
            watcher.watch(jobId, flinkJobId, triggerId);
            schedule(deadlines, properties.pollInitial(), POLL); // whether watched or not: the watch is not persisted
        } catch (FlinkCallFailed e) {
            callAttempts++;
            lastError = e.getMessage();
            if (!e.retryable()) {
                if (!report(commands, new FailSavepoint(jobId, triggerId, "Flink refused the savepoint: " + e.getMessage(), false))) {
                    schedule(deadlines, properties.retries().delay(callAttempts), CALL);
                }
                return;
            }
            log.warn("Savepoint {} of job {}: {}; trying again (attempt {})", triggerId, jobId, e.getMessage(), callAttempts + 1);
            schedule(deadlines, properties.retries().delay(callAttempts), CALL);
        }
    }

    @DeadlineHandler(deadlineName = POLL)
    public void poll(@Timestamp Instant due, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                     FlinkGatewayProperties properties, SavepointCallMetrics metrics, SavepointWatcher watcher,
                     LeftoverDeadlines leftovers) {
        fired(POLL);
        try (LogContext ignored = logContext()) {
            askFlink(due, flink, commands, deadlines, properties, metrics, watcher, leftovers);
        }
    }

    private void askFlink(Instant now, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                          FlinkGatewayProperties properties, SavepointCallMetrics metrics, SavepointWatcher watcher,
                          LeftoverDeadlines leftovers) {
        SavepointStatus status;
        try {
            status = flink.savepointStatus(jobId, flinkJobId, triggerId);
        } catch (FlinkCallFailed e) {
            if (e.kind() == FlinkCallFailed.Kind.NOT_FOUND && timedOut) {
                log.warn("Savepoint {} of job {} timed out and Flink no longer knows it ({})", triggerId, jobId, e.getMessage());
                end(deadlines, leftovers);
                return;
            }
            if (e.kind() == FlinkCallFailed.Kind.NOT_FOUND) {
                // The JobManager forgot the operation (it restarted, or the result expired): ask again with the
                // same trigger id; if the job itself is gone, that call fails for good.
                log.warn("Savepoint {} of job {} unknown to Flink ({}); triggering it again", triggerId, jobId, e.getMessage());
                call(now, flink, commands, deadlines, properties, metrics, watcher);
                return;
            }
            if (!e.retryable()) {
                report(commands, new FailSavepoint(jobId, triggerId, e.getMessage(), false));
                return;
            }
            lastError = e.getMessage();
            log.warn("Savepoint {} of job {}: {}; asking again", triggerId, jobId, e.getMessage());
            schedule(deadlines, properties.retries().delay(++polls), POLL);
            return;
        }
        lastError = null;
        switch (status.state()) {
            case COMPLETED -> report(commands, new CompleteSavepoint(jobId, triggerId, status.location()));
            case FAILED -> report(commands, new FailSavepoint(jobId, triggerId, status.failureCause(), false));
            case IN_PROGRESS -> schedule(deadlines, nextPoll(now, properties), POLL);
        }
        if (status.state() != SavepointStatus.State.IN_PROGRESS && !reported) {
            schedule(deadlines, properties.retries().delay(++polls), POLL); // the report did not go through: try again
        }
    }

    /**
     * Asks again after a quarter of the time the savepoint has taken so far (within poll-initial and poll-max): its
     * completion is seen within about a quarter of its duration, with few calls for a long one.
     */
    private Duration nextPoll(Instant now, FlinkGatewayProperties properties) {
        Duration quarter = takenAt == null ? Duration.ZERO : Duration.between(takenAt, now).dividedBy(4);
        if (quarter.compareTo(properties.pollInitial()) < 0) {
            return properties.pollInitial();
        }
        return quarter.compareTo(properties.pollMax()) > 0 ? properties.pollMax() : quarter;
    }

    @DeadlineHandler(deadlineName = TIMEOUT)
    public void timeout(@Timestamp Instant due, CommandGateway commands, FlinkGatewayProperties properties,
                        DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        fired(TIMEOUT);
        try (LogContext ignored = logContext()) {
            failTimedOut(due, commands, properties, deadlines, leftovers);
        }
    }

    private void failTimedOut(Instant due, CommandGateway commands, FlinkGatewayProperties properties,
                              DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        String cause = "not completed within " + properties.savepointTimeout()
                + (lastError == null ? "" : "; last Flink error: " + lastError);
        Instant lateWatchUntil = triggered ? due.plus(properties.lateWatch()) : null;
        if (report(commands, new FailSavepoint(jobId, triggerId, cause, true, lateWatchUntil))) {
            timedOut = true;
            if (!triggered) {
                end(deadlines, leftovers); // Flink never took it: nothing can complete late, and no retry may follow
                return;
            }
            reported = false; // a late completion is still to be reported
            schedule(deadlines, properties.lateWatch(), LATE_WATCH_END);
        } else {
            schedule(deadlines, properties.retries().initial(), TIMEOUT);
        }
    }

    @DeadlineHandler(deadlineName = LATE_WATCH_END)
    public void lateWatchEnds(@Timestamp Instant due, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        fired(LATE_WATCH_END);
        try (LogContext ignored = logContext()) {
            log.warn("Savepoint {} of job {} timed out and did not complete during the late watch either", triggerId, jobId);
        }
        end(deadlines, leftovers);
    }

    @SagaEventHandler(associationProperty = TRIGGER_ID)
    public void on(SavepointCompleted event, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        log.info("Savepoint {} of job {} completed at {}", triggerId, jobId, event.location());
        end(deadlines, leftovers);
    }

    @SagaEventHandler(associationProperty = TRIGGER_ID)
    public void on(SavepointFailed event, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        if (event.timedOut()) {
            return; // keep watching: it may still complete
        }
        log.warn("Savepoint {} of job {} failed: {}", triggerId, jobId, event.cause());
        end(deadlines, leftovers);
    }

    /** Sends a result to the aggregate; false when that did not succeed (it is tried again). */
    private boolean report(CommandGateway commands, Object command) {
        try {
            commands.sendAndWait(command);
            reported = true;
            return true;
        } catch (RuntimeException e) {
            log.warn("Result of savepoint {} of job {} not recorded yet: {}", triggerId, jobId, e.getMessage());
            reported = false;
            return false;
        }
    }

    /**
     * Schedules a deadline and keeps its id: cancelling by id is one delete, where cancelling by name makes
     * db-scheduler read and deserialize every deadline of every job (the scale benchmark's bottleneck).
     */
    private void schedule(DeadlineManager deadlines, Duration delay, String name) {
        deadlineIds.put(name, deadlines.schedule(delay, name));
    }

    /** Forgets a deadline that fired: there is nothing left to cancel of it. */
    private void fired(String name) {
        deadlineIds.remove(name);
    }

    private void end(DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        leftovers.cancel(deadlines, deadlineIds); // after this commits: one of them may be firing right now
        deadlineIds.clear();
        SagaLifecycle.end();
    }
}

package dev.savepoints.flink.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobDeregistered;
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
import dev.savepoints.flink.saga.SagaCommands.Sent;
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
 * <p>It ends with the savepoint's result, when its job is deregistered, and when the control it serves fails
 * otherwise than by its own timeout (the job ended, for one); in the last two cases it first fails the savepoint
 * with that cause, so that the job does not keep a savepoint in flight that nothing follows any more. A result the
 * aggregate refuses ends it as well ({@link SagaCommands}).
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
    /** A failure of the savepoint after its job or control ended, sent again until it gets through. */
    static final String REPORT = "savepoint-report";
    static final String JOB_ID = "jobId";

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
    /** Set when the job was deregistered or the control failed: the savepoint is failed with it, Flink asked no more. */
    private String abandonedBecause;
    /** How often a result of the timeout or of an abandon was sent without getting through. */
    private int reportAttempts;

    @StartSaga
    @SagaEventHandler(associationProperty = TRIGGER_ID)
    public void on(SavepointTriggered event, @Timestamp Instant at, FlinkGateway flink, CommandGateway commands,
                   DeadlineManager deadlines, FlinkGatewayProperties properties, SavepointCallMetrics metrics,
                   SavepointWatcher watcher, LeftoverDeadlines leftovers) {
        jobId = event.jobId();
        flinkJobId = event.flinkJobId();
        triggerId = event.triggerId();
        targetDirectory = event.targetDirectory();
        formatType = event.formatType();
        stopJob = event.stopJob();
        reason = event.reason();
        decidedAt = event.triggeredAt();
        SagaLifecycle.associateWith(JOB_ID, jobId.toString());
        schedule(deadlines, properties.savepointTimeout(), TIMEOUT);
        call(at, flink, commands, deadlines, properties, metrics, watcher, leftovers);
    }

    @DeadlineHandler(deadlineName = CALL)
    public void retryCall(@Timestamp Instant due, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                          FlinkGatewayProperties properties, SavepointCallMetrics metrics, SavepointWatcher watcher,
                          LeftoverDeadlines leftovers) {
        fired(CALL);
        if (abandonedBecause != null) {
            return;
        }
        try (LogContext ignored = logContext()) {
            call(due, flink, commands, deadlines, properties, metrics, watcher, leftovers);
        }
    }

    private LogContext logContext() {
        return LogContext.of(jobId, triggerId, flinkJobId);
    }

    private void call(Instant now, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                      FlinkGatewayProperties properties, SavepointCallMetrics metrics, SavepointWatcher watcher,
                      LeftoverDeadlines leftovers) {
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
                if (report(commands, new FailSavepoint(jobId, triggerId, "Flink refused the savepoint: " + e.getMessage(),
                        false), deadlines, leftovers) == Sent.NOT_RECORDED) {
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
        if (abandonedBecause != null) {
            return;
        }
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
                call(now, flink, commands, deadlines, properties, metrics, watcher, leftovers);
                return;
            }
            if (!e.retryable()) {
                if (report(commands, new FailSavepoint(jobId, triggerId, e.getMessage(), false), deadlines, leftovers)
                        == Sent.NOT_RECORDED) {
                    schedule(deadlines, properties.retries().delay(++polls), POLL); // asked again, then reported again
                }
                return;
            }
            lastError = e.getMessage();
            log.warn("Savepoint {} of job {}: {}; asking again", triggerId, jobId, e.getMessage());
            schedule(deadlines, properties.retries().delay(++polls), POLL);
            return;
        }
        lastError = null;
        Sent sent = switch (status.state()) {
            case COMPLETED -> report(commands, new CompleteSavepoint(jobId, triggerId, status.location()), deadlines, leftovers);
            case FAILED -> report(commands, new FailSavepoint(jobId, triggerId, status.failureCause(), false), deadlines,
                    leftovers);
            case IN_PROGRESS -> {
                schedule(deadlines, nextPoll(now, properties), POLL);
                yield Sent.RECORDED;
            }
        };
        if (sent == Sent.NOT_RECORDED) {
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
        if (abandonedBecause != null) {
            return; // failed with its job or control: the savepoint-report deadline sends that
        }
        try (LogContext ignored = logContext()) {
            failTimedOut(due, commands, properties, deadlines, leftovers);
        }
    }

    private void failTimedOut(Instant due, CommandGateway commands, FlinkGatewayProperties properties,
                              DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        String cause = "not completed within " + properties.savepointTimeout()
                + (lastError == null ? "" : "; last Flink error: " + lastError);
        Instant lateWatchUntil = triggered ? due.plus(properties.lateWatch()) : null;
        switch (report(commands, new FailSavepoint(jobId, triggerId, cause, true, lateWatchUntil), deadlines, leftovers)) {
            case RECORDED -> {
                timedOut = true;
                if (!triggered) {
                    end(deadlines, leftovers); // Flink never took it: nothing can complete late, and no retry may follow
                    return;
                }
                reported = false; // a late completion is still to be reported
                schedule(deadlines, properties.lateWatch(), LATE_WATCH_END);
            }
            case NOT_RECORDED -> schedule(deadlines, properties.retries().delay(++reportAttempts), TIMEOUT);
            case REFUSED -> { } // the job no longer knows the savepoint: the saga ended
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

    /**
     * The job was deregistered, or the control this savepoint serves failed otherwise than by this saga's timeout.
     * Flink is asked no more: the savepoint is failed with that cause, so that the job does not keep a savepoint in
     * flight that nothing follows. A savepoint that timed out already is failed already: only its late watch ends.
     */
    @SagaEventHandler(associationProperty = JOB_ID)
    public void on(JobDeregistered event, CommandGateway commands, DeadlineManager deadlines,
                   FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        abandon("the job was deregistered: " + event.reason(), commands, deadlines, properties, leftovers);
    }

    /** See {@link #on(JobDeregistered, CommandGateway, DeadlineManager, FlinkGatewayProperties, LeftoverDeadlines)}. */
    @SagaEventHandler(associationProperty = "savepointTriggerId", keyName = TRIGGER_ID)
    public void on(ControlFailed event, CommandGateway commands, DeadlineManager deadlines,
                   FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        if (timedOut) {
            return; // this saga's timeout failed the control: the late watch goes on, so the history is complete
        }
        abandon(event.message(), commands, deadlines, properties, leftovers);
    }

    private void abandon(String cause, CommandGateway commands, DeadlineManager deadlines,
                         FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        if (timedOut) {
            end(deadlines, leftovers);
            return;
        }
        if (abandonedBecause != null) {
            return; // its failure is on its way already
        }
        abandonedBecause = cause;
        log.warn("Savepoint {} of job {} no longer followed: {}", triggerId, jobId, cause);
        reportAbandoned(commands, deadlines, properties, leftovers);
    }

    @DeadlineHandler(deadlineName = REPORT)
    public void reportAgain(@Timestamp Instant due, CommandGateway commands, DeadlineManager deadlines,
                            FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        fired(REPORT);
        try (LogContext ignored = logContext()) {
            reportAbandoned(commands, deadlines, properties, leftovers);
        }
    }

    private void reportAbandoned(CommandGateway commands, DeadlineManager deadlines, FlinkGatewayProperties properties,
                                 LeftoverDeadlines leftovers) {
        switch (report(commands, new FailSavepoint(jobId, triggerId, abandonedBecause, false), deadlines, leftovers)) {
            case RECORDED -> end(deadlines, leftovers);
            case NOT_RECORDED -> schedule(deadlines, properties.retries().delay(++reportAttempts), REPORT);
            case REFUSED -> { } // ended
        }
    }

    /**
     * Sends a result to the aggregate ({@link SagaCommands}): one that does not get through is sent again by the
     * caller; one the aggregate refuses (a savepoint it does not know) ends the saga here.
     */
    private Sent report(CommandGateway commands, Object command, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        Sent sent = SagaCommands.send(commands, command);
        reported = sent.settled();
        if (sent == Sent.REFUSED) {
            end(deadlines, leftovers);
        }
        return sent;
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

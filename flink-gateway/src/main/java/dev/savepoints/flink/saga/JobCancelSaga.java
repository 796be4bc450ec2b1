package dev.savepoints.flink.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.FailJobCancel;
import dev.savepoints.command.api.JobCancelRequested;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobUpgradeWaiting;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.LogContext;
import dev.savepoints.flink.FlinkGatewayProperties;
import dev.savepoints.flink.rest.FlinkCallFailed;
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
 * Cancels a job without savepoint (job-cancel where no savepointsDir is set) and follows its control to the end.
 * The control succeeds when the observer sees the job cancelled; a job Flink no longer knows is reported lost, which
 * ends it too. A passing outage (no connection, timeout, 503) is retried with backoff; any other refusal fails the
 * control with its cause. If the job has not ended within {@code cancel-timeout}, the control fails as timed out,
 * naming the last Flink error. The saga ends with its control (succeeded or failed, whoever failed it) and when its
 * job is deregistered; a result the aggregate refuses ends it too ({@link SagaCommands}).
 */
@Saga
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class JobCancelSaga {

    static final String CONTROL_ID = "controlId";
    static final String JOB_ID = "jobId";
    static final String RETRY = "job-cancel-retry";
    static final String TIMEOUT = "job-cancel-timeout";

    private static final Logger log = LoggerFactory.getLogger(JobCancelSaga.class);

    private JobId jobId;
    private String flinkJobId;
    private String controlId;
    private int attempts;
    /** Flink took the cancel: the saga waits for the observer to see the job end. */
    private boolean cancelled;
    /** The last call Flink could not take, so that a timeout says why it came to that. */
    private String lastError;
    /** How often the timeout's failure was sent without getting through. */
    private int timeoutReports;
    /** The id of the latest deadline of each name, cancelled by id when the saga ends ({@link LeftoverDeadlines}). */
    private Map<String, String> deadlineIds = new HashMap<>();

    @StartSaga
    @SagaEventHandler(associationProperty = CONTROL_ID)
    public void on(JobCancelRequested event, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                   FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        jobId = event.jobId();
        flinkJobId = event.flinkJobId();
        controlId = event.controlId();
        SagaLifecycle.associateWith(JOB_ID, jobId.toString());
        schedule(deadlines, properties.cancelTimeout(), TIMEOUT);
        cancel(flink, commands, deadlines, properties, leftovers);
    }

    @DeadlineHandler(deadlineName = RETRY)
    public void retry(@Timestamp Instant due, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                      FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        fired(RETRY);
        try (LogContext ignored = LogContext.of(jobId, null, flinkJobId)) {
            if (!deadlineIds.containsKey(TIMEOUT)) { // stored by a version without the timeout: it gets one now
                schedule(deadlines, properties.cancelTimeout(), TIMEOUT);
            }
            cancel(flink, commands, deadlines, properties, leftovers);
        }
    }

    private void cancel(FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                        FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        attempts++;
        try {
            flink.cancel(jobId, flinkJobId);
            cancelled = true;
            log.info("Job {} (Flink job {}) cancelled; its control ends when the job is seen ended", jobId, flinkJobId);
        } catch (FlinkCallFailed e) {
            if (e.kind() == FlinkCallFailed.Kind.NOT_FOUND) {
                report(new ReportJobState(jobId, flinkJobId, JobState.LOST, e.getMessage()), commands, deadlines,
                        properties, leftovers);
                return;
            }
            if (!e.retryable()) {
                // Flink refused it for good: asking again would not end the control, only hide the refusal
                log.warn("Job {} not cancelled: {}", jobId, e.getMessage());
                report(new FailJobCancel(jobId, controlId, e.getMessage()), commands, deadlines, properties, leftovers);
                return;
            }
            lastError = e.getMessage();
            log.warn("Job {} not cancelled yet: {}; trying again (attempt {})", jobId, e.getMessage(), attempts + 1);
            schedule(deadlines, properties.retries().delay(attempts), RETRY);
        }
    }

    /** Sends a result that ends the control; one that does not get through is sent again with the next cancel. */
    private void report(Object result, CommandGateway commands, DeadlineManager deadlines,
                        FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        if (SagaCommands.send(commands, result).settled()) {
            end(deadlines, leftovers);
        } else {
            schedule(deadlines, properties.retries().delay(attempts), RETRY); // the cancel is idempotent: do it again
        }
    }

    @DeadlineHandler(deadlineName = TIMEOUT)
    public void timeout(@Timestamp Instant due, CommandGateway commands, DeadlineManager deadlines,
                        FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        fired(TIMEOUT);
        try (LogContext ignored = LogContext.of(jobId, null, flinkJobId)) {
            String cause = cancelled
                    ? "Flink took the cancel, but the job did not end within " + properties.cancelTimeout()
                    : "not cancelled within " + properties.cancelTimeout()
                            + (lastError == null ? "" : "; last Flink error: " + lastError);
            log.warn("Job {} (Flink job {}): {}", jobId, flinkJobId, cause);
            if (SagaCommands.send(commands, new FailJobCancel(jobId, controlId, cause)).settled()) {
                end(deadlines, leftovers);
            } else {
                schedule(deadlines, properties.retries().delay(++timeoutReports), TIMEOUT);
            }
        }
    }

    @SagaEventHandler(associationProperty = CONTROL_ID)
    public void on(ControlSucceeded event, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        end(deadlines, leftovers);
    }

    /** The control failed: Flink refused, the timeout above, the job ended otherwise, or it was deregistered. */
    @SagaEventHandler(associationProperty = CONTROL_ID)
    public void on(ControlFailed event, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        end(deadlines, leftovers);
    }

    @SagaEventHandler(associationProperty = JOB_ID)
    public void on(JobDeregistered event, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        end(deadlines, leftovers);
    }

    /** The job was cancelled: what an upgrade without savepoint waits for (it serves no control). */
    @SagaEventHandler(associationProperty = JOB_ID)
    public void on(JobCancelled event, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        end(deadlines, leftovers);
    }

    /** The upgrade this cancel serves gave it up (the timeout above): it tries again with a cancel of its own. */
    @SagaEventHandler(associationProperty = "upgradeId", keyName = CONTROL_ID)
    public void on(JobUpgradeWaiting event, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        end(deadlines, leftovers);
    }

    private void schedule(DeadlineManager deadlines, Duration delay, String name) {
        deadlineIds.put(name, deadlines.schedule(delay, name));
    }

    private void fired(String name) {
        deadlineIds.remove(name);
    }

    private void end(DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        leftovers.cancel(deadlines, deadlineIds);
        deadlineIds.clear();
        SagaLifecycle.end();
    }
}

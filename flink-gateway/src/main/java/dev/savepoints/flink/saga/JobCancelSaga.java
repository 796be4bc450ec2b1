package dev.savepoints.flink.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.FailJobCancel;
import dev.savepoints.command.api.JobCancelRequested;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.LogContext;
import dev.savepoints.flink.FlinkGatewayProperties;
import dev.savepoints.flink.rest.FlinkCallFailed;
import java.time.Instant;
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
 * Cancels a job without savepoint (job-cancel where no savepointsDir is set). The control ends when the
 * observer sees the job cancelled; a job Flink no longer knows is reported lost, which ends it too. A passing
 * outage (no connection, timeout, 503) is retried with backoff; any other refusal fails the control with its cause.
 */
@Saga
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class JobCancelSaga {

    static final String CONTROL_ID = "controlId";
    static final String RETRY = "job-cancel-retry";

    private static final Logger log = LoggerFactory.getLogger(JobCancelSaga.class);

    private JobId jobId;
    private String flinkJobId;
    private String controlId;
    private int attempts;

    @StartSaga
    @SagaEventHandler(associationProperty = CONTROL_ID)
    public void on(JobCancelRequested event, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                   FlinkGatewayProperties properties) {
        jobId = event.jobId();
        flinkJobId = event.flinkJobId();
        controlId = event.controlId();
        cancel(flink, commands, deadlines, properties);
    }

    @DeadlineHandler(deadlineName = RETRY)
    public void retry(@Timestamp Instant due, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                      FlinkGatewayProperties properties) {
        try (LogContext ignored = LogContext.of(jobId, null, flinkJobId)) {
            cancel(flink, commands, deadlines, properties);
        }
    }

    private void cancel(FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                        FlinkGatewayProperties properties) {
        attempts++;
        try {
            flink.cancel(jobId, flinkJobId);
            log.info("Job {} (Flink job {}) cancelled", jobId, flinkJobId);
            SagaLifecycle.end();
        } catch (FlinkCallFailed e) {
            if (e.kind() == FlinkCallFailed.Kind.NOT_FOUND) {
                commands.sendAndWait(new ReportJobState(jobId, flinkJobId, JobState.LOST, e.getMessage()));
                SagaLifecycle.end();
                return;
            }
            if (!e.retryable()) {
                // Flink refused it for good: asking again would not end the control, only hide the refusal
                log.warn("Job {} not cancelled: {}", jobId, e.getMessage());
                commands.sendAndWait(new FailJobCancel(jobId, controlId, e.getMessage()));
                SagaLifecycle.end();
                return;
            }
            log.warn("Job {} not cancelled yet: {}; trying again (attempt {})", jobId, e.getMessage(), attempts + 1);
            deadlines.schedule(properties.retries().delay(attempts), RETRY);
        }
    }
}

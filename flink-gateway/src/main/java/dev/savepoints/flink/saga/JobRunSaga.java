package dev.savepoints.flink.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.FailJobSubmission;
import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobRestartRequested;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.RecordRestart;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.LogContext;
import dev.savepoints.flink.FlinkGatewayProperties;
import dev.savepoints.flink.JarUnavailable;
import dev.savepoints.flink.rest.FlinkCallFailed;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.time.Instant;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a job to Flink, at first or as a restart from a savepoint. The Flink job id is derived from the
 * request's event id, so a run retried after a crash or a lost answer cannot start the job twice. Passing
 * failures (Flink unreachable, 503) are retried with backoff until the job is deregistered; a jar that cannot
 * be had or a run Flink refuses is reported as a failed submission.
 */
@Saga
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class JobRunSaga {

    static final String JOB_ID = "jobId";
    static final String RETRY = "job-run-retry";

    private static final Logger log = LoggerFactory.getLogger(JobRunSaga.class);

    private JobId jobId;
    private JobArtifact artifact;
    private String savepointPath;
    private boolean allowNonRestoredState;
    private boolean restart;
    private String flinkJobId;
    private int attempts;

    @StartSaga
    @SagaEventHandler(associationProperty = JOB_ID)
    public void on(JobSubmissionRequested event, @MessageIdentifier String eventId, FlinkGateway flink,
                   CommandGateway commands, DeadlineManager deadlines, FlinkGatewayProperties properties) {
        start(event.jobId(), event.artifact(), event.fromSavepoint(), event.allowNonRestoredState(), false, eventId);
        run(flink, commands, deadlines, properties);
    }

    @StartSaga
    @SagaEventHandler(associationProperty = JOB_ID)
    public void on(JobRestartRequested event, @MessageIdentifier String eventId, FlinkGateway flink,
                   CommandGateway commands, DeadlineManager deadlines, FlinkGatewayProperties properties) {
        start(event.jobId(), event.artifact(), event.savepointLocation(), event.allowNonRestoredState(), true, eventId);
        run(flink, commands, deadlines, properties);
    }

    private void start(JobId job, JobArtifact jar, String savepoint, boolean allowNonRestored, boolean isRestart,
                       String eventId) {
        jobId = job;
        artifact = jar;
        savepointPath = savepoint;
        allowNonRestoredState = allowNonRestored;
        restart = isRestart;
        flinkJobId = UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    @DeadlineHandler(deadlineName = RETRY)
    public void retry(@Timestamp Instant due, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                      FlinkGatewayProperties properties) {
        try (LogContext ignored = LogContext.of(jobId, null, flinkJobId)) {
            run(flink, commands, deadlines, properties);
        }
    }

    private void run(FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                     FlinkGatewayProperties properties) {
        attempts++;
        String submitted;
        try {
            submitted = flink.submit(jobId, artifact, flinkJobId, savepointPath, allowNonRestoredState);
        } catch (FlinkCallFailed e) {
            if (e.retryable()) {
                log.warn("Job {} not submitted yet: {}; trying again (attempt {})", jobId, e.getMessage(), attempts + 1);
                deadlines.schedule(properties.retries().delay(attempts), RETRY);
            } else {
                finish(commands, deadlines, properties, new FailJobSubmission(jobId, e.getMessage()));
            }
            return;
        } catch (JarUnavailable e) {
            finish(commands, deadlines, properties, new FailJobSubmission(jobId, e.getMessage()));
            return;
        }
        log.info("Job {} submitted to Flink as {}{}", jobId, submitted, savepointPath == null ? "" : " from " + savepointPath);
        finish(commands, deadlines, properties, restart
                ? new RecordRestart(jobId, submitted, savepointPath)
                : new RecordJobSubmitted(jobId, submitted));
    }

    private void finish(CommandGateway commands, DeadlineManager deadlines, FlinkGatewayProperties properties,
                        Object result) {
        try {
            commands.sendAndWait(result);
            SagaLifecycle.end();
        } catch (RuntimeException e) {
            log.warn("Submission of job {} not recorded yet: {}", jobId, e.getMessage());
            deadlines.schedule(properties.retries().delay(attempts), RETRY); // the run is idempotent: do it again
        }
    }

    @SagaEventHandler(associationProperty = JOB_ID)
    public void on(JobDeregistered event, DeadlineManager deadlines) {
        deadlines.cancelAllWithinScope(RETRY);
        SagaLifecycle.end();
    }
}

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
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
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
 * be had or a run Flink refuses is reported as a failed submission. A report that does not get through is sent
 * again after the run is repeated; one the aggregate refuses ends the saga ({@link SagaCommands}). It serves no
 * control: it ends with its report or when its job is deregistered.
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
    /** Since when the job's created Flink cluster has not been ready for it, while it is not; else null. */
    private Instant notReadySince;
    /** The id of the scheduled retry, cancelled by id when the saga ends ({@link LeftoverDeadlines}). */
    private Map<String, String> deadlineIds = new HashMap<>();

    @StartSaga
    @SagaEventHandler(associationProperty = JOB_ID)
    public void on(JobSubmissionRequested event, @MessageIdentifier String eventId, @Timestamp Instant at,
                   FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                   FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        start(event.jobId(), event.artifact(), event.fromSavepoint(), event.allowNonRestoredState(), false, eventId);
        run(at, flink, commands, deadlines, properties, leftovers);
    }

    @StartSaga
    @SagaEventHandler(associationProperty = JOB_ID)
    public void on(JobRestartRequested event, @MessageIdentifier String eventId, @Timestamp Instant at,
                   FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                   FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        start(event.jobId(), event.artifact(), event.savepointLocation(), event.allowNonRestoredState(), true, eventId);
        run(at, flink, commands, deadlines, properties, leftovers);
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
                      FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        deadlineIds.remove(RETRY);
        try (LogContext ignored = LogContext.of(jobId, null, flinkJobId)) {
            run(due, flink, commands, deadlines, properties, leftovers);
        }
    }

    private void run(Instant now, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                     FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        attempts++;
        String submitted;
        try {
            submitted = flink.submit(jobId, artifact, flinkJobId, savepointPath, allowNonRestoredState);
        } catch (FlinkCallFailed e) {
            boolean notReady = e.kind() == FlinkCallFailed.Kind.NOT_READY;
            notReadySince = !notReady ? null : notReadySince == null ? now : notReadySince;
            if (notReady && !now.isBefore(notReadySince.plus(properties.clusterWait()))) {
                finish(commands, deadlines, properties, leftovers, new FailJobSubmission(jobId,
                        "its Flink cluster was not ready within " + properties.clusterWait() + ": " + e.getMessage()));
                return;
            }
            if (e.retryable()) {
                log.warn("Job {} not submitted yet: {}; trying again (attempt {})", jobId, e.getMessage(), attempts + 1);
                scheduleRetry(deadlines, properties);
            } else {
                finish(commands, deadlines, properties, leftovers, new FailJobSubmission(jobId, e.getMessage()));
            }
            return;
        } catch (JarUnavailable e) {
            finish(commands, deadlines, properties, leftovers, new FailJobSubmission(jobId, e.getMessage()));
            return;
        }
        log.info("Job {} submitted to Flink as {}{}", jobId, submitted, savepointPath == null ? "" : " from " + savepointPath);
        finish(commands, deadlines, properties, leftovers, restart
                ? new RecordRestart(jobId, submitted, savepointPath)
                : new RecordJobSubmitted(jobId, submitted));
    }

    /** Reports the run; one that does not get through is run again (it is idempotent) and reported then. */
    private void finish(CommandGateway commands, DeadlineManager deadlines, FlinkGatewayProperties properties,
                        LeftoverDeadlines leftovers, Object result) {
        if (SagaCommands.send(commands, result).settled()) {
            end(deadlines, leftovers);
        } else {
            scheduleRetry(deadlines, properties);
        }
    }

    private void scheduleRetry(DeadlineManager deadlines, FlinkGatewayProperties properties) {
        deadlineIds.put(RETRY, deadlines.schedule(properties.retries().delay(attempts), RETRY));
    }

    @SagaEventHandler(associationProperty = JOB_ID)
    public void on(JobDeregistered event, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        end(deadlines, leftovers);
    }

    private void end(DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        leftovers.cancel(deadlines, deadlineIds); // by id, after the commit: the retry may be firing right now
        deadlineIds.clear();
        SagaLifecycle.end();
    }
}

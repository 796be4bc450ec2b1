package dev.savepoints.flink.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.DisposalMethod;
import dev.savepoints.command.api.FailSavepointDisposal;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RecordSavepointDisposed;
import dev.savepoints.command.api.SavepointDisposalFailed;
import dev.savepoints.command.api.SavepointDisposalRequested;
import dev.savepoints.command.api.SavepointDisposed;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.FlinkGatewayProperties;
import dev.savepoints.flink.LocalSavepointFiles;
import dev.savepoints.flink.LogContext;
import dev.savepoints.flink.rest.DisposalStatus;
import dev.savepoints.flink.rest.FlinkCallFailed;
import dev.savepoints.flink.saga.SagaCommands.Sent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
 * Carries one disposal attempt out: asks the JobManager to dispose of the savepoint, polls it to its end, reports
 * whether the files are gone. One attempt per saga: a failure is reported at once and the job decides when to try
 * again (its backoff is persisted there). When no JobManager answers, a {@code file:} savepoint the service sees
 * itself is deleted here, if allowed. Every wait is a persisted deadline, so a restart resumes the attempt: a
 * disposal Flink finished while the service was down is read back, or, forgotten by Flink, asked for again and
 * found gone. The result is reported until it gets through ({@link SagaCommands}).
 * <p>Deadline handlers take the due time first: Axon reads an unannotated first parameter as the payload.
 */
@Saga
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class DisposalSaga {

    static final String TRIGGER_ID = "triggerId";
    static final String POLL = "disposal-poll";
    static final String TIMEOUT = "disposal-timeout";
    static final String REPORT = "disposal-report";

    private static final Logger log = LoggerFactory.getLogger(DisposalSaga.class);

    private JobId jobId;
    private String triggerId;
    private String location;
    private String jobManagerUrl;
    private int attempt;
    /** Flink's id of the disposal; null until it took the request. */
    private String requestId;
    private int polls;
    private String lastError;
    /** The result, kept until the job recorded it. */
    private RecordSavepointDisposed disposed;
    private FailSavepointDisposal failed;
    private int reportAttempts;
    private Map<String, String> deadlineIds = new HashMap<>();

    @StartSaga
    @SagaEventHandler(associationProperty = TRIGGER_ID)
    public void on(SavepointDisposalRequested event, FlinkGateway flink, CommandGateway commands,
                   DeadlineManager deadlines, FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        jobId = event.jobId();
        triggerId = event.triggerId();
        location = event.location();
        jobManagerUrl = event.jobManagerUrl();
        attempt = event.attempt();
        schedule(deadlines, properties.disposalTimeout(), TIMEOUT);
        try (LogContext ignored = logContext()) {
            request(flink, commands, deadlines, properties, leftovers);
        }
    }

    private void request(FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                         FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        try {
            requestId = flink.disposeSavepoint(jobId, jobManagerUrl, location);
            log.info("Savepoint {} of job {} ({}): disposal {} asked of Flink (attempt {})", triggerId, jobId, location,
                    requestId, attempt);
            polls = 0;
            schedule(deadlines, properties.pollInitial(), POLL);
        } catch (FlinkCallFailed e) {
            noJobManager(e, commands, deadlines, properties, leftovers);
        }
    }

    /** Flink did not take the disposal: a savepoint the service sees is deleted here, if allowed; else it failed. */
    private void noJobManager(FlinkCallFailed e, CommandGateway commands, DeadlineManager deadlines,
                              FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        Optional<Path> local = properties.localDisposal() && e.retryable() ? LocalSavepointFiles.visible(location)
                : Optional.empty();
        if (local.isPresent()) {
            deleteHere(local.get(), e.getMessage(), commands, deadlines, properties, leftovers);
            return;
        }
        fail((e.retryable() ? "no JobManager took the disposal: " : "Flink refused the disposal: ") + e.getMessage(),
                commands, deadlines, properties, leftovers);
    }

    /** Deletes the savepoint's files here, since the JobManager could not ({@code why}), and reports how it went. */
    private void deleteHere(Path local, String why, CommandGateway commands, DeadlineManager deadlines,
                            FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        try {
            LocalSavepointFiles.delete(local);
        } catch (RuntimeException deletion) {
            fail(why + "; deleting it here failed: " + deletion.getMessage(), commands, deadlines, properties, leftovers);
            return;
        }
        log.info("Savepoint {} of job {}: the JobManager did not dispose of it ({}); deleted {} here", triggerId, jobId,
                why, local);
        report(new RecordSavepointDisposed(jobId, triggerId, attempt, DisposalMethod.LOCAL_FILES), commands, deadlines,
                properties, leftovers);
    }

    @DeadlineHandler(deadlineName = POLL)
    public void poll(@Timestamp Instant due, FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                     FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        fired(POLL);
        if (settledResult()) {
            return;
        }
        try (LogContext ignored = logContext()) {
            askFlink(flink, commands, deadlines, properties, leftovers);
        }
    }

    private void askFlink(FlinkGateway flink, CommandGateway commands, DeadlineManager deadlines,
                          FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        DisposalStatus status;
        try {
            status = flink.disposalStatus(jobId, jobManagerUrl, requestId);
        } catch (FlinkCallFailed e) {
            if (e.kind() == FlinkCallFailed.Kind.NOT_FOUND) {
                // the JobManager forgot the request (it restarted, or the result expired): ask again; a savepoint
                // disposed of meanwhile is then found gone
                log.warn("Disposal {} of savepoint {} unknown to Flink ({}); asking again", requestId, triggerId,
                        e.getMessage());
                request(flink, commands, deadlines, properties, leftovers);
                return;
            }
            if (!e.retryable()) {
                fail("Flink could not say how the disposal went: " + e.getMessage(), commands, deadlines, properties,
                        leftovers);
                return;
            }
            lastError = e.getMessage();
            schedule(deadlines, properties.retries().delay(++polls), POLL); // within the disposal's timeout
            return;
        }
        switch (status.state()) {
            case IN_PROGRESS -> schedule(deadlines, properties.pollMax(), POLL);
            case COMPLETED -> report(new RecordSavepointDisposed(jobId, triggerId, attempt, DisposalMethod.FLINK),
                    commands, deadlines, properties, leftovers);
            case GONE -> gone(status, commands, deadlines, properties, leftovers);
            case FAILED -> fail("Flink could not dispose of it: " + status.failureCause(), commands, deadlines,
                    properties, leftovers);
        }
    }

    /**
     * Flink finds nothing at the location. Believed unless the service sees a savepoint there itself: then the
     * JobManager looks elsewhere (another machine's disk), and the files are deleted here if allowed.
     */
    private void gone(DisposalStatus status, CommandGateway commands, DeadlineManager deadlines,
                      FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        Optional<Path> local = LocalSavepointFiles.visible(location);
        if (local.isEmpty()) {
            report(new RecordSavepointDisposed(jobId, triggerId, attempt, DisposalMethod.ALREADY_GONE), commands,
                    deadlines, properties, leftovers);
        } else if (properties.localDisposal()) {
            deleteHere(local.get(), status.failureCause(), commands, deadlines, properties, leftovers);
        } else {
            fail("the JobManager finds no savepoint at the location, yet its files are at " + local.get() + ": "
                    + status.failureCause(), commands, deadlines, properties, leftovers);
        }
    }

    @DeadlineHandler(deadlineName = TIMEOUT)
    public void timeout(@Timestamp Instant due, CommandGateway commands, DeadlineManager deadlines, FlinkGatewayProperties properties,
                        LeftoverDeadlines leftovers) {
        fired(TIMEOUT);
        if (settledResult()) {
            return;
        }
        try (LogContext ignored = logContext()) {
            fail("not finished within " + properties.disposalTimeout()
                    + (lastError == null ? "" : "; last Flink error: " + lastError), commands, deadlines, properties,
                    leftovers);
        }
    }

    @DeadlineHandler(deadlineName = REPORT)
    public void reportAgain(@Timestamp Instant due, CommandGateway commands, DeadlineManager deadlines, FlinkGatewayProperties properties,
                            LeftoverDeadlines leftovers) {
        fired(REPORT);
        try (LogContext ignored = logContext()) {
            report(disposed != null ? disposed : failed, commands, deadlines, properties, leftovers);
        }
    }

    @SagaEventHandler(associationProperty = TRIGGER_ID)
    public void on(SavepointDisposed event, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        if (event.attempts() == attempt) {
            end(deadlines, leftovers);
        }
    }

    @SagaEventHandler(associationProperty = TRIGGER_ID)
    public void on(SavepointDisposalFailed event, DeadlineManager deadlines, LeftoverDeadlines leftovers) {
        if (event.attempt() == attempt) {
            end(deadlines, leftovers);
        }
    }

    private void fail(String cause, CommandGateway commands, DeadlineManager deadlines,
                      FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        log.warn("Savepoint {} of job {}: disposal attempt {} failed: {}", triggerId, jobId, attempt, cause);
        report(new FailSavepointDisposal(jobId, triggerId, attempt, cause), commands, deadlines, properties, leftovers);
    }

    private void report(Object result, CommandGateway commands, DeadlineManager deadlines,
                        FlinkGatewayProperties properties, LeftoverDeadlines leftovers) {
        disposed = result instanceof RecordSavepointDisposed d ? d : null;
        failed = result instanceof FailSavepointDisposal f ? f : null;
        switch (SagaCommands.send(commands, result)) {
            case RECORDED, REFUSED -> end(deadlines, leftovers);
            case NOT_RECORDED -> schedule(deadlines, properties.retries().delay(++reportAttempts), REPORT);
        }
    }

    /** A result is on its way already: the polls and the timeout that fire meanwhile have nothing to do. */
    private boolean settledResult() {
        return disposed != null || failed != null;
    }

    private LogContext logContext() {
        return LogContext.of(jobId, triggerId, null);
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

package dev.savepoints.flink.observe;

import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.RecordExternalSavepoint;
import dev.savepoints.command.api.ReportJobManagerReachable;
import dev.savepoints.command.api.ReportJobManagerUnreachable;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.LogContext;
import dev.savepoints.flink.Observation;
import dev.savepoints.flink.jobs.WatchedJob;
import dev.savepoints.flink.jobs.WatchedJobs;
import dev.savepoints.flink.rest.FlinkCallFailed;
import dev.savepoints.flink.rest.FlinkSavepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the state of every managed Flink job and reports each change to its aggregate, and the savepoints Flink
 * lists for a running job, so that one taken outside the service (Flink CLI or REST) is recorded too. A JobManager
 * that does not answer says nothing about the job's state; after {@code unreachableAfterRounds} rounds in a row
 * without an answer the job is told so (its state is then shown as Unknown), and told again when it answers.
 * <p>Jobs are observed several at a time: one after the other, a round over 2,000 jobs took far longer than the
 * observe interval (a failure was seen a minute late).
 */
public class JobObserver implements AutoCloseable {

    static final List<String> WATCHED_STATES = List.of(JobState.DEPLOYING.statusValue(), JobState.RUNNING.statusValue());
    private static final Logger log = LoggerFactory.getLogger(JobObserver.class);

    private final WatchedJobs jobs;
    private final FlinkGateway flink;
    private final CommandGateway commands;
    private final ExecutorService workers;
    private final int unreachableAfterRounds;
    private final Clock clock;

    /**
     * @param workers                where the jobs of a round are observed, as many at a time as it has threads
     * @param unreachableAfterRounds rounds in a row without an answer after which a JobManager counts as unreachable
     */
    public JobObserver(WatchedJobs jobs, FlinkGateway flink, CommandGateway commands, ExecutorService workers,
                       int unreachableAfterRounds, Clock clock) {
        this.jobs = jobs;
        this.flink = flink;
        this.commands = commands;
        this.workers = workers;
        this.unreachableAfterRounds = unreachableAfterRounds;
        this.clock = clock;
    }

    /** One round over all watched jobs, done when every job was observed; returns how many changes were reported. */
    public int observeAll() {
        List<Future<Boolean>> reads = new ArrayList<>();
        for (WatchedJob job : jobs.findByFlinkJobIdIsNotNullAndStateIn(WATCHED_STATES)) {
            reads.add(workers.submit(() -> {
                try (LogContext ignored = LogContext.of(JobId.parse(job.jobId()), null, job.flinkJobId())) {
                    return observe(job);
                }
            }));
        }
        int reported = 0;
        for (Future<Boolean> read : reads) {
            try {
                if (read.get()) {
                    reported++;
                }
            } catch (ExecutionException e) {
                log.warn("A job was not observed", e.getCause());
            } catch (InterruptedException e) { // shutting down
                reads.forEach(r -> r.cancel(true));
                Thread.currentThread().interrupt();
                break;
            }
        }
        return reported;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** Whether something was reported: a new state, or the JobManager lost or back. */
    private boolean observe(WatchedJob job) {
        JobId jobId = JobId.parse(job.jobId());
        Observation observation;
        try {
            observation = flink.observe(jobId, job.flinkJobId());
        } catch (FlinkCallFailed e) {
            log.debug("Job {} not observed: {}", jobId, e.getMessage());
            return e.retryable() && unanswered(jobId, job, e);
        }
        boolean back = answered(jobId, job);
        if (observation.state() == JobState.RUNNING) {
            reportSavepoints(jobId, job, observation.savepoints());
        }
        // once it answers again, the state is reported even when unchanged: the job then knows it is confirmed
        if (observation.state() == null || (observation.state().statusValue().equals(job.state()) && !back)) {
            return back;
        }
        return send(new ReportJobState(jobId, job.flinkJobId(), observation.state(), observation.cause())) || back;
    }

    /** Counts a round without an answer; once there are enough in a row, the job is told (once). */
    private boolean unanswered(JobId jobId, WatchedJob job, FlinkCallFailed failure) {
        Instant now = clock.instant();
        jobs.roundUnanswered(job.jobId(), job.flinkJobId(), now);
        int rounds = job.failedRounds() + 1;
        if (rounds < unreachableAfterRounds || job.unreachableReported()) {
            return false;
        }
        Instant since = job.unreachableSince() == null ? now : job.unreachableSince();
        log.warn("The JobManager of job {} did not answer {} rounds in a row since {}: {}", jobId, rounds, since,
                failure.getMessage());
        if (send(new ReportJobManagerUnreachable(jobId, job.flinkJobId(), since, rounds, failure.getMessage()))) {
            jobs.unreachableReported(job.jobId(), job.flinkJobId());
            return true;
        }
        return false;
    }

    /** The JobManager answered: the count starts again, and a job told it was lost is told it is back. */
    private boolean answered(JobId jobId, WatchedJob job) {
        if (job.failedRounds() == 0) {
            return false;
        }
        if (job.unreachableReported()) {
            log.info("The JobManager of job {} answers again (unreachable since {})", jobId, job.unreachableSince());
            if (!send(new ReportJobManagerReachable(jobId, job.flinkJobId()))) {
                return false; // told next round
            }
        }
        jobs.answered(job.jobId(), job.flinkJobId());
        return job.unreachableReported();
    }

    private boolean send(Object command) {
        try {
            commands.sendAndWait(command);
            return true;
        } catch (RuntimeException e) {
            log.warn("{} not recorded: {}", command.getClass().getSimpleName(), e.getMessage());
            return false;
        }
    }

    private void reportSavepoints(JobId jobId, WatchedJob job, List<FlinkSavepoint> savepoints) {
        try {
            for (FlinkSavepoint savepoint : savepoints) {
                if (savepoint.id() <= job.savepointsSeenUpTo()) {
                    continue;
                }
                Object settled = commands.sendAndWait(new RecordExternalSavepoint(jobId, job.flinkJobId(), savepoint.id(),
                        savepoint.location(), savepoint.triggeredAt(), savepoint.completedAt()));
                if (Boolean.FALSE.equals(settled)) {
                    return; // it may be the service's own, whose report comes first: asked again next round
                }
                jobs.savepointsSeen(job.jobId(), job.flinkJobId(), savepoint.id());
            }
        } catch (RuntimeException e) {
            log.debug("Savepoints of job {} not recorded: {}", jobId, e.getMessage());
        }
    }
}

package dev.savepoints.flink.observe;

import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.RecordExternalSavepoint;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.LogContext;
import dev.savepoints.flink.Observation;
import dev.savepoints.flink.jobs.WatchedJob;
import dev.savepoints.flink.jobs.WatchedJobRepository;
import dev.savepoints.flink.rest.FlinkCallFailed;
import dev.savepoints.flink.rest.FlinkSavepoint;
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
 * that cannot be reached says nothing about the job, so nothing is reported for it until it answers again.
 * <p>Jobs are observed several at a time: each costs two calls to its own JobManager, and one after the other a
 * round over 2,000 jobs took far longer than the observe interval (a failure was seen a minute late).
 */
public class JobObserver implements AutoCloseable {

    static final List<String> WATCHED_STATES = List.of(JobState.DEPLOYING.name(), JobState.RUNNING.name());
    private static final Logger log = LoggerFactory.getLogger(JobObserver.class);

    private final WatchedJobRepository jobs;
    private final FlinkGateway flink;
    private final CommandGateway commands;
    private final ExecutorService workers;

    /** @param workers where the jobs of a round are observed, as many at a time as it has threads */
    public JobObserver(WatchedJobRepository jobs, FlinkGateway flink, CommandGateway commands, ExecutorService workers) {
        this.jobs = jobs;
        this.flink = flink;
        this.commands = commands;
        this.workers = workers;
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

    private boolean observe(WatchedJob job) {
        JobId jobId = JobId.parse(job.jobId());
        Observation observation;
        try {
            observation = flink.observe(jobId, job.flinkJobId());
        } catch (FlinkCallFailed e) {
            log.debug("Job {} not observed: {}", jobId, e.getMessage());
            return false;
        }
        if (observation.state() == JobState.RUNNING) {
            reportSavepoints(jobId, job, observation.savepoints());
        }
        if (observation.state() == null || observation.state().name().equals(job.state())) {
            return false;
        }
        try {
            commands.sendAndWait(new ReportJobState(jobId, job.flinkJobId(), observation.state(), observation.cause()));
            return true;
        } catch (RuntimeException e) {
            log.warn("State {} of job {} not recorded: {}", observation.state(), jobId, e.getMessage());
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

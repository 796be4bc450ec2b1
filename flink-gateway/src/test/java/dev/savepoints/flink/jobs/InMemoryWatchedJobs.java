package dev.savepoints.flink.jobs;

import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The watched jobs in memory, for the observer's tests: each read gives copies, as reading the table again would. */
public final class InMemoryWatchedJobs implements WatchedJobs {

    private final Map<String, WatchedJob> rows = new ConcurrentHashMap<>();

    /** A job that Flink runs as {@code flinkJobId}, in {@code state}. */
    public InMemoryWatchedJobs add(String jobId, String flinkJobId, JobState state) {
        WatchedJob job = new WatchedJob(jobId);
        job.flinkJobId(flinkJobId);
        job.follow(new JobStateChanged(JobId.parse(jobId), flinkJobId, JobState.DEPLOYING, state), Instant.EPOCH);
        rows.put(jobId, job);
        return this;
    }

    public WatchedJob get(String jobId) {
        return rows.get(jobId).copy();
    }

    @Override
    public List<WatchedJob> findByFlinkJobIdIsNotNullAndStateIn(Collection<String> states) {
        return rows.values().stream().filter(job -> job.flinkJobId() != null && states.contains(job.state()))
                .map(WatchedJob::copy).sorted(java.util.Comparator.comparing(WatchedJob::jobId)).toList();
    }

    @Override
    public int savepointsSeen(String jobId, String flinkJobId, long checkpointId) {
        return change(jobId, flinkJobId, job -> job.savepointsSeen(checkpointId));
    }

    @Override
    public int roundUnanswered(String jobId, String flinkJobId, Instant at) {
        return change(jobId, flinkJobId, job -> job.unanswered(at));
    }

    @Override
    public int unreachableReported(String jobId, String flinkJobId) {
        return change(jobId, flinkJobId, WatchedJob::reported);
    }

    @Override
    public int answered(String jobId, String flinkJobId) {
        return change(jobId, flinkJobId, WatchedJob::answered);
    }

    private int change(String jobId, String flinkJobId, Consumer<WatchedJob> change) {
        WatchedJob job = rows.get(jobId);
        if (job == null || !flinkJobId.equals(job.flinkJobId())) {
            return 0;
        }
        synchronized (job) {
            change.accept(job);
        }
        return 1;
    }
}

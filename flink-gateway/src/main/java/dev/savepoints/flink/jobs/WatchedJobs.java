package dev.savepoints.flink.jobs;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** What the observer reads and writes of the watched jobs; {@link WatchedJobRepository} keeps them in PostgreSQL. */
public interface WatchedJobs {

    /** The jobs whose Flink job should be watched: submitted and, by their state (status words), not yet ended. */
    List<WatchedJob> findByFlinkJobIdIsNotNullAndStateIn(Collection<String> states);

    /** Flink's savepoints of {@code flinkJobId} up to {@code checkpointId} were reported. */
    int savepointsSeen(String jobId, String flinkJobId, long checkpointId);

    /** One more round in which the JobManager of {@code flinkJobId} did not answer, counted from {@code at}. */
    int roundUnanswered(String jobId, String flinkJobId, Instant at);

    /** The aggregate knows that the JobManager of {@code flinkJobId} cannot be reached. */
    int unreachableReported(String jobId, String flinkJobId);

    /** The JobManager of {@code flinkJobId} answered: the count starts again. */
    int answered(String jobId, String flinkJobId);
}

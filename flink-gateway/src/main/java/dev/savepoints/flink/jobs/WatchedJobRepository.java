package dev.savepoints.flink.jobs;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface WatchedJobRepository extends JpaRepository<WatchedJob, String>, WatchedJobs {

    @Override
    List<WatchedJob> findByFlinkJobIdIsNotNullAndStateIn(Collection<String> states);

    /** Moves only this column, so it cannot overwrite what the projection writes meanwhile (so do the others). */
    @Transactional
    @Modifying
    @Query("update WatchedJob j set j.savepointsSeenUpTo = :checkpointId "
            + "where j.jobId = :jobId and j.flinkJobId = :flinkJobId and j.savepointsSeenUpTo < :checkpointId")
    @Override
    int savepointsSeen(@Param("jobId") String jobId, @Param("flinkJobId") String flinkJobId,
                       @Param("checkpointId") long checkpointId);

    @Transactional
    @Modifying
    @Query("update WatchedJob j set j.failedRounds = j.failedRounds + 1, "
            + "j.unreachableSince = coalesce(j.unreachableSince, :at) where j.jobId = :jobId and j.flinkJobId = :flinkJobId")
    @Override
    int roundUnanswered(@Param("jobId") String jobId, @Param("flinkJobId") String flinkJobId, @Param("at") Instant at);

    @Transactional
    @Modifying
    @Query("update WatchedJob j set j.unreachableReported = true where j.jobId = :jobId and j.flinkJobId = :flinkJobId")
    @Override
    int unreachableReported(@Param("jobId") String jobId, @Param("flinkJobId") String flinkJobId);

    @Transactional
    @Modifying
    @Query("update WatchedJob j set j.failedRounds = 0, j.unreachableSince = null, j.unreachableReported = false "
            + "where j.jobId = :jobId and j.flinkJobId = :flinkJobId")
    @Override
    int answered(@Param("jobId") String jobId, @Param("flinkJobId") String flinkJobId);
}

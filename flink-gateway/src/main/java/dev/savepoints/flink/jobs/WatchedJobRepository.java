package dev.savepoints.flink.jobs;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface WatchedJobRepository extends JpaRepository<WatchedJob, String> {

    /** The jobs whose Flink job should be watched: submitted and not yet ended. */
    List<WatchedJob> findByFlinkJobIdIsNotNullAndStateIn(Collection<String> states);

    /** Moves only this column, so it cannot overwrite what the projection writes meanwhile. */
    @Transactional
    @Modifying
    @Query("update WatchedJob j set j.savepointsSeenUpTo = :checkpointId "
            + "where j.jobId = :jobId and j.flinkJobId = :flinkJobId and j.savepointsSeenUpTo < :checkpointId")
    int savepointsSeen(@Param("jobId") String jobId, @Param("flinkJobId") String flinkJobId,
                       @Param("checkpointId") long checkpointId);
}

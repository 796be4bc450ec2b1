package dev.savepoints.query.status;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface JobStatusRepository extends JpaRepository<JobStatusRow, JobStatusRow.Key> {

    /** The current (latest) incarnation of a job. */
    Optional<JobStatusRow> findFirstByJobIdOrderByIncarnationDesc(String jobId);
}

package dev.savepoints.flink.jobs;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface WatchedJobRepository extends JpaRepository<WatchedJob, String> {

    /** The jobs whose Flink job should be watched: submitted and not yet ended. */
    List<WatchedJob> findByFlinkJobIdIsNotNullAndStateIn(Collection<String> states);
}

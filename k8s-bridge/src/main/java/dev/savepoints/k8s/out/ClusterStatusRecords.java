package dev.savepoints.k8s.out;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface ClusterStatusRecords extends JpaRepository<ClusterStatusRecord, String> {

    /**
     * The record of a job, locked until the transaction ends: the status writer and the writer of due changes
     * never write one job's status at the same time, so an older model never lands after a newer one.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select r from ClusterStatusRecord r where r.jobId = :jobId")
    Optional<ClusterStatusRecord> findLocked(@Param("jobId") String jobId);

    /** Changes due by {@code now}, locked; those another transaction holds are left to it. */
    @Query(nativeQuery = true, value = """
            select * from k8s_cluster_status where (not written or annotation_pending) and due_at <= :now
            order by due_at limit :limit for update skip locked""")
    List<ClusterStatusRecord> lockDue(@Param("now") Instant now, @Param("limit") int limit);
}

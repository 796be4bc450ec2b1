package dev.savepoints.query.status;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface JobStatusRepository extends JpaRepository<JobStatusRow, JobStatusRow.Key> {

    /** The current (latest) incarnation of a job. */
    Optional<JobStatusRow> findFirstByJobIdOrderByIncarnationDesc(String jobId);

    /** The current incarnation of each job, by job id, after {@code afterJobId}; null filters match all. */
    @Query(nativeQuery = true, value = """
            select * from (select distinct on (job_id) * from qs_job_status order by job_id, incarnation desc) current
            where (cast(:namespace as text) is null or namespace = cast(:namespace as text))
              and (cast(:state as text) is null or state = cast(:state as text))
              and (cast(:after as text) is null or job_id > cast(:after as text))
            order by job_id
            limit :limit""")
    List<JobStatusRow> findCurrent(@Param("namespace") String namespace, @Param("state") String state,
                                   @Param("after") String afterJobId, @Param("limit") int limit);

    /** The current incarnation of every registered job, as the per-job gauges need it. */
    @Query("""
            select new dev.savepoints.query.status.JobStaleness(r.namespace, r.name, r.jobManagerState, r.expectedToRun,
                   r.savepointAgeFrom, r.savepointIntervalSeconds, r.consecutiveFailures)
            from JobStatusRow r
            where r.registered and r.incarnation = (select max(o.incarnation) from JobStatusRow o where o.jobId = r.jobId)""")
    List<JobStaleness> findCurrentRegistered();

    /** [state, count] of the current incarnation of every job. */
    @Query(nativeQuery = true, value = """
            select state, count(*) from (select distinct on (job_id) state from qs_job_status
                                         order by job_id, incarnation desc) current group by state""")
    List<Object[]> countCurrentByState();
}

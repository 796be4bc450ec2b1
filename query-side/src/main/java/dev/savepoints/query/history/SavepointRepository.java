package dev.savepoints.query.history;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface SavepointRepository extends JpaRepository<SavepointRow, String>, JpaSpecificationExecutor<SavepointRow> {

    /** The job's savepoints triggered since {@code from}, newest first, at most {@code limit}. */
    List<SavepointRow> findByJobIdAndTriggeredAtGreaterThanEqualOrderByTriggeredAtDesc(String jobId, java.time.Instant from,
                                                                                      org.springframework.data.domain.Limit limit);

    /** Per job [namespace, name, savepoints whose files are kept, of those the ones whose disposal failed]. */
    @Query(value = "select namespace, name, count(*), count(*) filter (where retention = 'DISPOSAL_FAILED')"
            + " from qs_savepoint where retention in ('RETAINED', 'DISPOSING', 'DISPOSAL_FAILED') group by namespace, name",
            nativeQuery = true)
    List<Object[]> countRetainedByJob();

    /** Marks the job's savepoints that the annotation names, by trigger id or location (after {@link #unpinAllByAnnotation}). */
    @Modifying
    @Query("update SavepointRow r set r.pinnedByAnnotation = true"
            + " where r.jobId = :jobId and (r.triggerId in :pins or r.location in :pins)")
    int pinByAnnotation(@Param("jobId") String jobId, @Param("pins") Collection<String> pins);

    @Modifying
    @Query("update SavepointRow r set r.pinnedByAnnotation = false where r.jobId = :jobId and r.pinnedByAnnotation = true")
    int unpinAllByAnnotation(@Param("jobId") String jobId);
}

package dev.savepoints.query.history;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface SavepointRepository extends JpaRepository<SavepointRow, String>, JpaSpecificationExecutor<SavepointRow> {

    /** Per job (namespace, name), how many savepoints' files are kept. */
    @Query(value = "select namespace, name, count(*) from qs_savepoint"
            + " where retention in ('RETAINED', 'DISPOSING', 'DISPOSAL_FAILED') group by namespace, name",
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

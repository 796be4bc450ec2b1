package dev.savepoints.query.audit;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface AuditRepository extends JpaRepository<AuditRow, String>, JpaSpecificationExecutor<AuditRow> {

    /** The job's actions since {@code from}, newest first, at most {@code limit}. */
    java.util.List<AuditRow> findByJobIdAndAtGreaterThanEqualOrderByGlobalIndexDesc(String jobId, java.time.Instant from,
                                                                                 org.springframework.data.domain.Limit limit);


    Optional<AuditRow> findFirstByTriggerIdAndOutcomeIsNullOrderByGlobalIndexDesc(String triggerId);

    Optional<AuditRow> findFirstByTriggerIdAndOutcomeOrderByGlobalIndexDesc(String triggerId, String outcome);

    Optional<AuditRow> findFirstByControlIdOrderByGlobalIndexDesc(String controlId);

    Optional<AuditRow> findFirstByTriggerIdAndActionAndOutcomeIsNullOrderByGlobalIndexDesc(String triggerId, String action);

    Optional<AuditRow> findFirstByJobIdAndActionAndOutcomeIsNullOrderByGlobalIndexDesc(String jobId, String action);

    /** The event's own place in the event store (Axon's domain_event_entry, unique on event_identifier). */
    @Query(value = "select global_index from domain_event_entry where event_identifier = :eventId", nativeQuery = true)
    Optional<Long> globalIndexOf(@Param("eventId") String eventId);
}

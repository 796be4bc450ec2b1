package dev.savepoints.query.audit;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface AuditRepository extends JpaRepository<AuditRow, String>, JpaSpecificationExecutor<AuditRow> {

    Optional<AuditRow> findFirstByTriggerIdAndOutcomeIsNullOrderByGlobalIndexDesc(String triggerId);

    Optional<AuditRow> findFirstByTriggerIdAndOutcomeOrderByGlobalIndexDesc(String triggerId, String outcome);

    Optional<AuditRow> findFirstByControlIdOrderByGlobalIndexDesc(String controlId);

    Optional<AuditRow> findFirstByJobIdAndActionAndOutcomeIsNullOrderByGlobalIndexDesc(String jobId, String action);
}

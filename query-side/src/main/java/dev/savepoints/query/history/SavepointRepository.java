package dev.savepoints.query.history;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface SavepointRepository extends JpaRepository<SavepointRow, String>, JpaSpecificationExecutor<SavepointRow> {
}

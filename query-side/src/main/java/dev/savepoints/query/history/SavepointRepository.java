package dev.savepoints.query.history;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

public interface SavepointRepository extends JpaRepository<SavepointRow, String>, JpaSpecificationExecutor<SavepointRow> {

    /** Per job (namespace, name), how many savepoints' files are kept. */
    @Query(value = "select namespace, name, count(*) from qs_savepoint"
            + " where retention in ('RETAINED', 'DISPOSING', 'DISPOSAL_FAILED') group by namespace, name",
            nativeQuery = true)
    List<Object[]> countRetainedByJob();
}

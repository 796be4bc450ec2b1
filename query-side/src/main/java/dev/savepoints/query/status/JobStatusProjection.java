package dev.savepoints.query.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.command.api.JobEvent;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.status.JobStatus;
import dev.savepoints.query.QueryProjections;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/**
 * Projects each job's events into {@link JobStatusRow}, one row per FlinkCluster incarnation, through the one
 * mapping {@link JobStatus#next} that the CR status follows too.
 */
@Component
@ProcessingGroup(QueryProjections.PROCESSING_GROUP)
public class JobStatusProjection {

    private final JobStatusRepository rows;
    private final ObjectMapper json;

    public JobStatusProjection(JobStatusRepository rows, ObjectMapper json) {
        this.rows = rows;
        this.json = json;
    }

    @EventHandler
    void on(JobEvent event, @Timestamp Instant at) {
        JobId id = event.jobId();
        if (event instanceof JobRegistered) {
            JobStatusRow row = new JobStatusRow(id.toString(), id.namespace(), id.name(), at);
            show(row, JobStatus.NONE.next(event, at));
            return;
        }
        rows.findFirstByJobIdOrderByIncarnationDesc(id.toString()).ifPresent(row -> {
            JobStatus before = statusOf(row);
            JobStatus after = before.next(event, at);
            if (after != before && after.of(before.uid())) { // else nothing changed, or a resource never registered
                show(row, after);
            }
        });
    }

    @ResetHandler
    void reset() {
        rows.deleteAllInBatch();
    }

    private void show(JobStatusRow row, JobStatus status) {
        try {
            row.show(status, json.writeValueAsString(status));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the status of " + row.jobId + " cannot be written as JSON", e);
        }
        rows.save(row);
    }

    private JobStatus statusOf(JobStatusRow row) {
        if (row.status == null) {
            return row.legacyStatus();
        }
        try {
            return json.readValue(row.status, JobStatus.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the status of " + row.jobId + " cannot be read", e);
        }
    }
}

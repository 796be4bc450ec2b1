package dev.savepoints.query.history;

import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointDisposalFailed;
import dev.savepoints.command.api.SavepointDisposalRequested;
import dev.savepoints.command.api.SavepointDisposed;
import dev.savepoints.command.api.SavepointPinned;
import dev.savepoints.command.api.SavepointUnpinned;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.query.QueryProjections;
import dev.savepoints.query.status.JobStatusRepository;
import dev.savepoints.query.status.JobStatusRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/** One row per savepoint attempt, its outcome filled in when known; rows are never replaced by later attempts. */
@Component
@ProcessingGroup(QueryProjections.PROCESSING_GROUP)
public class SavepointHistoryProjection {

    private final SavepointRepository savepoints;
    private final JobStatusRepository jobs;

    public SavepointHistoryProjection(SavepointRepository savepoints, JobStatusRepository jobs) {
        this.savepoints = savepoints;
        this.jobs = jobs;
    }

    @EventHandler
    void on(SavepointTriggered event, @Timestamp Instant at) {
        SavepointRow row = new SavepointRow();
        row.triggerId = event.triggerId();
        row.jobId = event.jobId().toString();
        row.namespace = event.jobId().namespace();
        row.name = event.jobId().name();
        row.incarnation = incarnationOf(row.jobId);
        row.flinkJobId = event.flinkJobId();
        row.reason = event.reason().name();
        row.triggerReason = event.reason().statusValue();
        row.source = event.requestedBy().source().name();
        row.actor = event.requestedBy().actor();
        row.targetDirectory = event.targetDirectory();
        row.formatType = event.formatType().name();
        row.stopJob = event.stopJob();
        row.controlId = event.controlId();
        row.outcome = "IN_PROGRESS";
        row.triggeredAt = event.triggeredAt();
        row.updatedAt = at;
        savepoints.save(row);
    }

    @EventHandler
    void on(SavepointCompleted event, @Timestamp Instant at) {
        SavepointRow row = savepoints.findById(event.triggerId()).orElseGet(() -> external(event));
        row.outcome = "COMPLETED";
        row.retention = row.retention == null ? "RETAINED" : row.retention;
        row.generation = event.generation();
        row.location = event.location();
        row.late = event.late();
        row.completedAt = event.completedAt();
        row.durationMs = Duration.between(row.triggeredAt, event.completedAt()).toMillis();
        row.updatedAt = at;
        savepoints.save(row);
    }

    @EventHandler
    void on(SavepointFailed event, @Timestamp Instant at) {
        savepoints.findById(event.triggerId()).ifPresent(row -> {
            row.outcome = event.timedOut() ? "TIMED_OUT" : "FAILED";
            row.failureCause = event.cause();
            row.completedAt = event.failedAt();
            row.durationMs = Duration.between(row.triggeredAt, event.failedAt()).toMillis();
            row.updatedAt = at;
            savepoints.save(row);
        });
    }

    @EventHandler
    void on(SavepointDisposalRequested event, @Timestamp Instant at) {
        update(event.triggerId(), at, row -> {
            row.retention = "DISPOSING";
            row.disposalReason = event.reason().name();
            row.disposalAttempts = event.attempt();
            row.disposalRetryAt = null;
        });
    }

    @EventHandler
    void on(SavepointDisposalFailed event, @Timestamp Instant at) {
        update(event.triggerId(), at, row -> {
            row.retention = "DISPOSAL_FAILED";
            row.disposalFailure = event.cause();
            row.disposalRetryAt = event.retryAt();
        });
    }

    @EventHandler
    void on(SavepointDisposed event, @Timestamp Instant at) {
        update(event.triggerId(), at, row -> {
            row.retention = "DISPOSED";
            row.disposalMethod = event.method().name();
            row.disposedAt = event.disposedAt();
            row.disposalRetryAt = null;
        });
    }

    @EventHandler
    void on(SavepointPinned event, @Timestamp Instant at) {
        update(event.triggerId(), at, row -> {
            row.pinned = true;
            row.pinnedBy = event.requestedBy().actor();
            if ("DISPOSAL_FAILED".equals(row.retention)) {
                row.retention = "RETAINED"; // the pin withdrew the disposal
                row.disposalRetryAt = null;
            }
        });
    }

    @EventHandler
    void on(SavepointUnpinned event, @Timestamp Instant at) {
        update(event.triggerId(), at, row -> {
            row.pinned = false;
            row.pinnedBy = null;
        });
    }

    /** The annotation's pins, as the job's settings carry them: the rows it names are pinned, the others not. */
    @EventHandler
    void on(JobRegistered event) {
        annotationPins(event.jobId().toString(), event.settings());
    }

    @EventHandler
    void on(JobSettingsChanged event) {
        annotationPins(event.jobId().toString(), event.settings());
    }

    private void annotationPins(String jobId, JobSettings settings) {
        List<String> pins = settings == null || settings.retention() == null ? List.of() : settings.retention().pinned();
        savepoints.unpinAllByAnnotation(jobId);
        if (!pins.isEmpty()) {
            savepoints.pinByAnnotation(jobId, pins);
        }
    }

    private void update(String triggerId, Instant at, Consumer<SavepointRow> change) {
        savepoints.findById(triggerId).ifPresent(row -> {
            change.accept(row);
            row.updatedAt = at;
            savepoints.save(row);
        });
    }

    @ResetHandler
    void reset() {
        savepoints.deleteAllInBatch();
    }

    private SavepointRow external(SavepointCompleted event) {
        SavepointRow row = new SavepointRow();
        row.triggerId = event.triggerId();
        row.jobId = event.jobId().toString();
        row.namespace = event.jobId().namespace();
        row.name = event.jobId().name();
        row.incarnation = incarnationOf(row.jobId);
        row.flinkJobId = event.flinkJobId();
        row.reason = TriggerReason.EXTERNAL.name();
        row.triggerReason = TriggerReason.EXTERNAL.statusValue();
        row.source = "EXTERNAL";
        row.triggeredAt = event.triggeredAt();
        return row;
    }

    private int incarnationOf(String jobId) {
        return jobs.findFirstByJobIdOrderByIncarnationDesc(jobId).map(JobStatusRow::incarnation).orElse(0);
    }
}

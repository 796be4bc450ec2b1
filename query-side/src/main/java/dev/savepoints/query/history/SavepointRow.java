package dev.savepoints.query.history;

import dev.savepoints.command.api.RetentionPolicy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One savepoint attempt: decided by the service, or taken outside it and noticed (reason EXTERNAL). */
@Entity
@Table(name = "qs_savepoint")
public class SavepointRow {

    @Id
    @Column(name = "trigger_id")
    String triggerId;
    @Column(name = "job_id")
    String jobId;
    String namespace;
    String name;
    int incarnation;
    @Column(name = "flink_job_id")
    String flinkJobId;
    String reason;
    /** The reason in the words of {@code status.savepoint.triggerReason}. */
    @Column(name = "trigger_reason")
    String triggerReason;
    String source;
    String actor;
    @Column(name = "target_directory")
    String targetDirectory;
    @Column(name = "format_type")
    String formatType;
    @Column(name = "stop_job")
    boolean stopJob;
    @Column(name = "control_id")
    String controlId;
    String outcome;
    Long generation;
    String location;
    @Column(name = "failure_cause")
    String failureCause;
    boolean late;
    @Column(name = "triggered_at")
    Instant triggeredAt;
    @Column(name = "completed_at")
    Instant completedAt;
    @Column(name = "duration_ms")
    Long durationMs;
    @Column(name = "updated_at")
    Instant updatedAt;
    /** RETAINED, DISPOSING, DISPOSAL_FAILED, DISPOSED; null for a savepoint that did not complete. */
    String retention;
    boolean pinned;
    @Column(name = "pinned_by")
    String pinnedBy;
    @Column(name = "pinned_by_annotation")
    boolean pinnedByAnnotation;
    @Column(name = "disposal_reason")
    String disposalReason;
    @Column(name = "disposal_attempts")
    int disposalAttempts;
    @Column(name = "disposal_failure")
    String disposalFailure;
    @Column(name = "disposal_retry_at")
    Instant disposalRetryAt;
    @Column(name = "disposal_method")
    String disposalMethod;
    @Column(name = "disposed_at")
    Instant disposedAt;

    protected SavepointRow() {
    }

    public String jobId() {
        return jobId;
    }

    public SavepointView view() {
        return new SavepointView(triggerId, namespace, name, incarnation, flinkJobId, reason, triggerReason, source, actor,
                targetDirectory, formatType, stopJob, controlId, outcome, generation, location, failureCause, late,
                triggeredAt, completedAt, durationMs, retention, retention != null && !"DISPOSED".equals(retention),
                pinned || pinnedByAnnotation,
                pinnedBy != null ? pinnedBy : pinnedByAnnotation ? "annotation " + RetentionPolicy.PIN_ANNOTATION : null,
                disposalReason, disposalAttempts, disposalFailure, disposalRetryAt, disposalMethod,
                disposedAt);
    }
}

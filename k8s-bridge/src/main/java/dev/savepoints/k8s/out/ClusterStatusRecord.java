package dev.savepoints.k8s.out;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The status model of one job as the status writer last derived it ({@code status}: the JobStatus as JSON), and
 * whether the FlinkCluster shows it yet: a change waiting to be written is due at {@code dueAt}. The model survives
 * restarts, so the CR status is rebuilt from it, never from what the CR happens to hold.
 */
@Entity
@Table(name = "k8s_cluster_status")
public class ClusterStatusRecord {

    @Id
    @Column(name = "job_id")
    private String jobId;
    @Column(name = "status", nullable = false)
    private String status;
    @Column(name = "written", nullable = false)
    private boolean written;
    @Column(name = "due_at")
    private Instant dueAt;
    /** A control ended: the annotation that asked for it is still to be removed. */
    @Column(name = "annotation_pending", nullable = false)
    private boolean annotationPending;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ClusterStatusRecord() {
    }

    ClusterStatusRecord(String jobId, String status) {
        this.jobId = jobId;
        this.status = status;
        this.written = true; // nothing to show yet
        this.updatedAt = Instant.now();
    }

    String jobId() {
        return jobId;
    }

    String status() {
        return status;
    }

    boolean written() {
        return written;
    }

    /** A new model, not shown yet. */
    void changed(String newStatus) {
        status = newStatus;
        written = false;
        updatedAt = Instant.now();
    }

    boolean annotationPending() {
        return annotationPending;
    }

    void removeAnnotation() {
        annotationPending = true;
    }

    /** To be written at {@code at}, or sooner if an earlier change asked for that. */
    void due(Instant at) {
        if ((!written || annotationPending) && (dueAt == null || at.isBefore(dueAt))) {
            dueAt = at;
        }
    }

    /** A write failed: tried again at {@code at}. */
    void retryAt(Instant at) {
        dueAt = at;
    }

    void shown() {
        written = true;
        settle();
    }

    void annotationRemoved() {
        annotationPending = false;
        settle();
    }

    private void settle() {
        if (written && !annotationPending) {
            dueAt = null;
        }
    }
}

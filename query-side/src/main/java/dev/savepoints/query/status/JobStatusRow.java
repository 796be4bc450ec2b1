package dev.savepoints.query.status;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** The status of one FlinkCluster incarnation, as its events tell it. */
@Entity
@Table(name = "qs_job_status")
@IdClass(JobStatusRow.Key.class)
public class JobStatusRow {

    public record Key(String jobId, int incarnation) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "job_id")
    String jobId;
    @Id
    @Column(name = "incarnation")
    int incarnation;
    String namespace;
    String name;
    String uid;
    boolean registered;
    @Column(name = "flink_job_id")
    String flinkJobId;
    String state;
    @Column(name = "savepoint_generation")
    long savepointGeneration;
    @Column(name = "savepoint_location")
    String savepointLocation;
    @Column(name = "last_savepoint_trigger_id")
    String lastSavepointTriggerId;
    @Column(name = "last_savepoint_time")
    Instant lastSavepointTime;
    @Column(name = "from_savepoint")
    String fromSavepoint;
    @Column(name = "restart_count")
    int restartCount;
    @Column(name = "failure_cause")
    String failureCause;
    @Column(name = "control_name")
    String controlName;
    @Column(name = "control_state")
    String controlState;
    @Column(name = "control_message")
    String controlMessage;
    @Column(name = "registered_at")
    Instant registeredAt;
    @Column(name = "updated_at")
    Instant updatedAt;

    protected JobStatusRow() {
    }

    JobStatusRow(String jobId, int incarnation, String namespace, String name, String uid, Instant at) {
        this.jobId = jobId;
        this.incarnation = incarnation;
        this.namespace = namespace;
        this.name = name;
        this.uid = uid;
        this.registered = true;
        this.state = "Pending";
        this.registeredAt = at;
        this.updatedAt = at;
    }

    public int incarnation() {
        return incarnation;
    }

    public JobStatusView view() {
        return new JobStatusView(namespace, name, uid, incarnation, registered, flinkJobId, state, savepointGeneration,
                savepointLocation, lastSavepointTriggerId, lastSavepointTime, fromSavepoint, restartCount, failureCause,
                controlName, controlState, controlMessage, registeredAt, updatedAt);
    }
}

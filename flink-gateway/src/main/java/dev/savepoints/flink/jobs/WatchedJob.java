package dev.savepoints.flink.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The gateway's own view of a managed job: where its JobManager is, which Flink job runs it, and its state. */
@Entity
@Table(name = "flink_gateway_job")
public class WatchedJob {

    @Id
    @Column(name = "job_id")
    private String jobId;
    @Column(name = "job_manager_url")
    private String jobManagerUrl;
    @Column(name = "flink_job_id")
    private String flinkJobId;
    @Column(name = "state", nullable = false)
    private String state;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    /** The highest checkpoint id of {@code flinkJobId} whose savepoint was reported to the aggregate. */
    @Column(name = "savepoints_seen_up_to", nullable = false)
    private long savepointsSeenUpTo;

    protected WatchedJob() {
    }

    WatchedJob(String jobId) {
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }

    public String jobManagerUrl() {
        return jobManagerUrl;
    }

    public String flinkJobId() {
        return flinkJobId;
    }

    public String state() {
        return state;
    }

    public long savepointsSeenUpTo() {
        return savepointsSeenUpTo;
    }

    void jobManagerUrl(String url) {
        this.jobManagerUrl = url;
    }

    void flinkJobId(String id) {
        this.flinkJobId = id;
        this.savepointsSeenUpTo = 0;
    }

    void state(String newState, Instant at) {
        this.state = newState;
        this.updatedAt = at;
    }
}

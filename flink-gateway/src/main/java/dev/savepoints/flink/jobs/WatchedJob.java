package dev.savepoints.flink.jobs;

import dev.savepoints.command.api.JobEvent;
import dev.savepoints.command.api.JobState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The gateway's own view of a managed job: where its JobManager is, which Flink job runs it, its state (in the
 * status words), and the observer's count of rounds in which the JobManager did not answer.
 */
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
    /** Observer rounds in a row in which the JobManager did not answer, the first of them at {@code unreachableSince}. */
    @Column(name = "failed_rounds", nullable = false)
    private int failedRounds;
    @Column(name = "unreachable_since")
    private Instant unreachableSince;
    /** Whether the aggregate was told that the JobManager cannot be reached. */
    @Column(name = "unreachable_reported", nullable = false)
    private boolean unreachableReported;

    protected WatchedJob() {
    }

    WatchedJob(String jobId) {
        this.jobId = jobId;
    }

    /** A copy, as a new read of the row would give (for the tests' in-memory rows). */
    WatchedJob copy() {
        WatchedJob copy = new WatchedJob(jobId);
        copy.jobManagerUrl = jobManagerUrl;
        copy.flinkJobId = flinkJobId;
        copy.state = state;
        copy.updatedAt = updatedAt;
        copy.savepointsSeenUpTo = savepointsSeenUpTo;
        copy.failedRounds = failedRounds;
        copy.unreachableSince = unreachableSince;
        copy.unreachableReported = unreachableReported;
        return copy;
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

    public int failedRounds() {
        return failedRounds;
    }

    public Instant unreachableSince() {
        return unreachableSince;
    }

    public boolean unreachableReported() {
        return unreachableReported;
    }

    void jobManagerUrl(String url) {
        this.jobManagerUrl = url;
    }

    void flinkJobId(String id) {
        this.flinkJobId = id;
        this.savepointsSeenUpTo = 0;
        this.failedRounds = 0;
        this.unreachableSince = null;
        this.unreachableReported = false;
    }

    // What the repository's updates do, for the tests' in-memory rows.
    void savepointsSeen(long checkpointId) {
        savepointsSeenUpTo = Math.max(savepointsSeenUpTo, checkpointId);
    }

    void unanswered(Instant at) {
        failedRounds++;
        unreachableSince = unreachableSince == null ? at : unreachableSince;
    }

    void reported() {
        unreachableReported = true;
    }

    void answered() {
        failedRounds = 0;
        unreachableSince = null;
        unreachableReported = false;
    }

    /** The state after {@code event}, by the one mapping of events to states. */
    void follow(JobEvent event, Instant at) {
        JobState current = state == null ? JobState.PENDING : JobState.ofStatusValue(state);
        this.state = current.after(event).statusValue();
        this.updatedAt = at;
    }
}

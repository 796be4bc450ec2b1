package dev.savepoints.query.status;

import dev.savepoints.command.api.ClusterComponent;
import dev.savepoints.command.api.ClusterComponents;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.status.ControlState;
import dev.savepoints.command.api.status.ControlStatus;
import dev.savepoints.command.api.status.JobManagerStatus;
import dev.savepoints.command.api.status.JobStatus;
import dev.savepoints.command.api.status.LatestSavepoint;
import dev.savepoints.command.api.status.RunTimes;
import dev.savepoints.command.api.status.SavepointRequest;
import dev.savepoints.command.api.Texts;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * The status of one FlinkCluster incarnation: its {@link JobStatus} as JSON ({@code status}), and the same facts in
 * columns for SQL, each in the status's words, as the CR shows them.
 */
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
    @Column(name = "savepoint_request_trigger_id")
    String savepointRequestTriggerId;
    @Column(name = "savepoint_request_reason")
    String savepointRequestReason;
    @Column(name = "savepoint_request_state")
    String savepointRequestState;
    @Column(name = "savepoint_request_message")
    String savepointRequestMessage;
    @Column(name = "savepoint_request_time")
    Instant savepointRequestTime;
    @Column(name = "control_name")
    String controlName;
    @Column(name = "control_state")
    String controlState;
    @Column(name = "control_message")
    String controlMessage;
    @Column(name = "control_savepoint_trigger_id")
    String controlSavepointTriggerId;
    @Column(name = "control_time")
    Instant controlTime;
    @Column(name = "job_manager_state")
    String jobManagerState;
    @Column(name = "job_manager_message")
    String jobManagerMessage;
    @Column(name = "job_manager_since")
    Instant jobManagerSince;
    @Column(name = "cluster_state")
    String clusterState;
    @Column(name = "job_manager_replicas")
    Integer jobManagerReplicas;
    @Column(name = "job_manager_ready_replicas")
    Integer jobManagerReadyReplicas;
    @Column(name = "task_manager_replicas")
    Integer taskManagerReplicas;
    @Column(name = "task_manager_ready_replicas")
    Integer taskManagerReadyReplicas;
    @Column(name = "final_savepoint")
    boolean finalSavepoint;
    @Column(name = "deploy_time")
    Instant deployTime;
    @Column(name = "start_time")
    Instant startTime;
    @Column(name = "completion_time")
    Instant completionTime;
    @Column(name = "registered_at")
    Instant registeredAt;
    @Column(name = "updated_at")
    Instant updatedAt;
    @Column(name = "savepoint_interval_seconds")
    Integer savepointIntervalSeconds;
    @Column(name = "consecutive_failures")
    int consecutiveFailures;
    @Column(name = "savepoint_age_from")
    Instant savepointAgeFrom;
    @Column(name = "expected_to_run")
    boolean expectedToRun;
    /** The whole {@link JobStatus} as JSON; null in rows projected before it was kept. */
    @Column(name = "status")
    String status;

    protected JobStatusRow() {
    }

    JobStatusRow(String jobId, String namespace, String name, Instant at) {
        this.jobId = jobId;
        this.namespace = namespace;
        this.name = name;
        this.registeredAt = at;
    }

    public String jobId() {
        return jobId;
    }

    public int incarnation() {
        return incarnation;
    }

    /** Shows {@code next} in the columns; {@code json} is its JSON form. */
    void show(JobStatus next, String json) {
        incarnation = next.incarnation();
        uid = next.uid();
        registered = next.registered();
        flinkJobId = next.flinkJobId();
        state = next.shownState().statusValue();
        savepointGeneration = next.savepointGeneration();
        LatestSavepoint latest = next.latestSavepoint();
        savepointLocation = latest == null ? null : latest.location();
        lastSavepointTriggerId = latest == null ? null : latest.triggerId();
        lastSavepointTime = latest == null ? null : latest.completedAt();
        fromSavepoint = next.fromSavepoint();
        restartCount = next.restartCount();
        failureCause = next.failureReasons().isEmpty() ? null : String.join("; ", next.failureReasons());
        SavepointRequest savepoint = next.savepoint();
        savepointRequestTriggerId = savepoint == null ? null : savepoint.triggerId();
        savepointRequestReason = savepoint == null ? null : savepoint.reason().statusValue();
        savepointRequestState = savepoint == null ? null : savepoint.state().word();
        savepointRequestMessage = savepoint == null ? null : savepoint.message();
        savepointRequestTime = savepoint == null ? null : savepoint.triggerTime();
        ControlStatus control = next.control();
        controlName = control == null ? null : Texts.fit(control.name(), 64);
        controlState = control == null ? null : control.state().word();
        controlMessage = control == null ? null : control.message();
        controlSavepointTriggerId = control == null ? null : control.savepointTriggerId();
        controlTime = control == null ? null : control.updateTime();
        JobManagerStatus jobManager = next.jobManager();
        jobManagerState = next.jobManagerState() == null ? null : next.jobManagerState().word();
        jobManagerMessage = jobManager == null ? null : jobManager.message();
        jobManagerSince = jobManager == null ? null : jobManager.since();
        clusterState = next.clusterState() == null ? null : next.clusterState().word();
        ClusterComponents components = next.components();
        ClusterComponent jm = components == null ? null : components.jobManager();
        ClusterComponent tm = components == null ? null : components.taskManager();
        jobManagerReplicas = jm == null ? null : jm.replicas();
        jobManagerReadyReplicas = jm == null ? null : jm.readyReplicas();
        taskManagerReplicas = tm == null ? null : tm.replicas();
        taskManagerReadyReplicas = tm == null ? null : tm.readyReplicas();
        finalSavepoint = next.finalSavepoint();
        deployTime = next.times().deployTime();
        startTime = next.times().startTime();
        completionTime = next.times().completionTime();
        updatedAt = next.updatedAt();
        savepointIntervalSeconds = next.savepointIntervalSeconds();
        consecutiveFailures = next.consecutiveFailures();
        savepointAgeFrom = next.savepointAgeFrom();
        expectedToRun = next.expectedToRun();
        status = json;
    }

    /**
     * The status of a row projected before the whole status was kept, from its columns (in the words used then):
     * what the next event changes is then projected as for any other row.
     */
    JobStatus legacyStatus() {
        LatestSavepoint latest = savepointLocation == null ? null
                : new LatestSavepoint(lastSavepointTriggerId, savepointLocation, lastSavepointTime);
        ControlStatus control = controlName == null ? null : new ControlStatus(null, controlName,
                "InProgress".equals(controlState) || "Progressing".equals(controlState) ? ControlState.PROGRESSING
                        : "Succeeded".equals(controlState) ? ControlState.SUCCEEDED : ControlState.FAILED,
                null, null, controlMessage, updatedAt);
        return new JobStatus(uid, incarnation, registered, JobState.ofStatusValue(state), flinkJobId, fromSavepoint,
                restartCount, failureCause == null ? List.of() : List.of(failureCause), savepointGeneration, latest, null,
                control, null, RunTimes.NONE, false, false, updatedAt, null, savepointIntervalSeconds, consecutiveFailures);
    }

    public JobStatusView view() {
        return view(Instant.now());
    }

    public JobStatusView view(Instant now) {
        Staleness staleness = Staleness.of(this, now);
        return new JobStatusView(namespace, name, uid, incarnation, registered, flinkJobId, state, savepointGeneration,
                savepointLocation, lastSavepointTriggerId, lastSavepointTime, fromSavepoint, restartCount, failureCause,
                savepointRequestTriggerId, savepointRequestReason, savepointRequestState, savepointRequestMessage,
                savepointRequestTime,
                controlName, controlState, controlMessage, controlSavepointTriggerId, controlTime, jobManagerState,
                jobManagerMessage, jobManagerSince, clusterState, finalSavepoint, deployTime, startTime, completionTime, registeredAt,
                updatedAt, jobManagerReplicas, jobManagerReadyReplicas, taskManagerReplicas, taskManagerReadyReplicas,
                staleness.verdict().name(), savepointAgeFrom, savepointIntervalSeconds, consecutiveFailures);
    }
}

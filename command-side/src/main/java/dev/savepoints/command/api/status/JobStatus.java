package dev.savepoints.command.api.status;

import dev.savepoints.command.api.ClusterComponent;
import dev.savepoints.command.api.ClusterComponents;
import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.JobEvent;
import dev.savepoints.command.api.JobState;
import java.time.Instant;
import java.util.List;

/**
 * The status of one FlinkCluster's job as its events tell it: the one model behind the CR status, the REST status
 * and the SQL view, so that all three show the same facts in the same words. {@link #next} is the only mapping of
 * events to it; each reader renders it ({@link #shownState()} for the state) and stores it as it likes.
 *
 * @param uid                 the FlinkCluster resource this status belongs to
 * @param incarnation         which resource of this name it is (1 for the first); 0 before one was registered
 * @param state               the job's state as the service decided it (see {@link JobState#after})
 * @param failureReasons      why the job last failed, and why it was not restarted
 * @param savepointGeneration completed savepoints of this incarnation
 * @param latestSavepoint     the newest completed savepoint of this incarnation
 * @param savepoint           the latest savepoint request
 * @param control             the latest user control, or refused spec change
 * @param jobManager          whether the JobManager answers; null until the job ran on one
 * @param times               when the current run was submitted, started and ended
 * @param finalSavepoint      the latest savepoint is the job's final state: it was stopped with it
 * @param updating            an upgrade is under way
 * @param components          the objects of the Flink cluster the service created for the job; null if it created none
 * @param savepointIntervalSeconds the job's {@code autoSavepointSeconds}: how often it is expected to have a new
 *                                 savepoint; null or 0 when it has no schedule
 * @param consecutiveFailures savepoints of this incarnation that failed (or timed out) since the last one completed
 */
public record JobStatus(String uid, int incarnation, boolean registered, JobState state, String flinkJobId,
                        String fromSavepoint, int restartCount, List<String> failureReasons,
                        long savepointGeneration, LatestSavepoint latestSavepoint, SavepointRequest savepoint,
                        ControlStatus control, JobManagerStatus jobManager, RunTimes times, boolean finalSavepoint,
                        boolean updating, Instant updatedAt, ClusterComponents components,
                        Integer savepointIntervalSeconds, int consecutiveFailures) {

    /** Before anything is known of a job. */
    public static final JobStatus NONE = new JobStatus(null, 0, false, JobState.PENDING, null, null, 0, List.of(), 0,
            null, null, null, null, RunTimes.NONE, false, false, null, null, null, 0);

    public JobStatus {
        state = state == null ? JobState.PENDING : state;
        failureReasons = failureReasons == null ? List.of() : List.copyOf(failureReasons);
        times = times == null ? RunTimes.NONE : times;
    }

    /**
     * The state to show: {@link JobState#UNKNOWN} while the JobManager of a deploying or running job cannot be
     * reached (claiming {@code Running} then would be a guess), else {@link #state()}.
     */
    public JobState shownState() {
        boolean unreachable = jobManager != null && !jobManager.reachable();
        if (unreachable && (state == JobState.DEPLOYING || state == JobState.RUNNING)) {
            return JobState.UNKNOWN;
        }
        return updating && (state == JobState.CANCELLED || state == JobState.PENDING) ? JobState.UPDATING : state;
    }

    /**
     * The JobManager's state: of its pods, where the service created the cluster, and of its REST API, whether it
     * answers; {@code Ready} only when both are, null while neither is known.
     */
    public ComponentState jobManagerState() {
        ClusterComponent pods = components == null ? null : components.jobManager();
        if (jobManager != null && !jobManager.reachable()) {
            return ComponentState.NOT_READY;
        }
        if (pods != null && !pods.ready()) {
            return pods.state();
        }
        return pods != null || jobManager != null ? ComponentState.READY : null;
    }

    /**
     * {@code status.state}; null once the FlinkCluster is gone. A Flink cluster the service created is
     * {@code Creating} until each of its objects is ready, and {@code Reconciling} when one is not ready any more;
     * a job being stopped with a savepoint ({@code job-cancel}) is {@code Stopping}.
     */
    public ClusterState clusterState() {
        if (updating) {
            return ClusterState.UPDATING;
        }
        boolean stopped = state.terminal() || state == JobState.DEREGISTERED;
        if (!stopped && control != null && ControlName.JOB_CANCEL.value().equals(control.name())
                && control.state() == ControlState.PROGRESSING) {
            return ClusterState.STOPPING;
        }
        if (components != null && !components.ready() && !stopped) {
            return times.startTime() == null ? ClusterState.CREATING : ClusterState.RECONCILING;
        }
        return switch (state) {
            case PENDING -> ClusterState.CREATING;
            case FAILED, FINISHED, CANCELLED, LOST -> ClusterState.STOPPED;
            case DEREGISTERED -> null;
            default -> ClusterState.RUNNING;
        };
    }

    /** The status after {@code event}, recorded at {@code at}; this very instance when the event changes nothing. */
    public JobStatus next(JobEvent event, Instant at) {
        return JobStatusTransitions.next(this, event, at);
    }

    /**
     * Since when the job's state has been at risk of being lost: its latest completed savepoint, or the deployment of
     * its current run when that is later (a run restored from an older savepoint starts afresh); null before either.
     */
    public Instant savepointAgeFrom() {
        Instant completed = latestSavepoint == null ? null : latestSavepoint.completedAt();
        Instant deployed = times.deployTime();
        if (completed == null || deployed == null) {
            return completed == null ? deployed : completed;
        }
        return completed.isAfter(deployed) ? completed : deployed;
    }

    /** Whether the job is meant to be running, and so to take savepoints: deployed and not stopped. */
    public boolean expectedToRun() {
        return registered && (state == JobState.DEPLOYING || state == JobState.RUNNING || state == JobState.RESTARTING);
    }

    /** Whether this is the status of the resource {@code otherUid}. */
    public boolean of(String otherUid) {
        return uid != null && uid.equals(otherUid);
    }
}

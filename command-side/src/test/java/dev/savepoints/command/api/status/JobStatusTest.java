package dev.savepoints.command.api.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.JobEvent;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobManagerReachable;
import dev.savepoints.command.api.JobManagerUnreachable;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRegistrationRejected;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobSettingsRejected;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointDeferred;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.AutomaticSavepointScheduled;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one mapping of a job's events to its status, in the words the CR, REST and SQL all show. */
class JobStatusTest {

    private static final JobId JOB = JobId.of("default", "sample");
    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
    private static final RequestedBy KUBECTL = new RequestedBy("kubectl", Source.KUBERNETES_SPEC, null);
    private static final RequestedBy ANNOTATOR = new RequestedBy("kubectl-annotate", Source.KUBERNETES_ANNOTATION, null);
    private static final JobSettings SETTINGS = new JobSettings("file:/sp", null, null, null, false, null, null, false, null);
    private static final String FLINK = "c0c55ce62eba6ab41b6bb9288ef79c12";

    private static JobStatus after(JobEvent... events) {
        JobStatus status = JobStatus.NONE;
        for (int i = 0; i < events.length; i++) {
            status = status.next(events[i], T.plusSeconds(i));
        }
        return status;
    }

    private static JobEvent[] running() {
        return new JobEvent[] {new JobRegistered(JOB, "uid-1", 1, SETTINGS, KUBECTL), new JobSubmitted(JOB, FLINK, null),
                new JobStateChanged(JOB, FLINK, JobState.DEPLOYING, JobState.RUNNING)};
    }

    private static JobEvent[] with(JobEvent[] first, JobEvent... more) {
        JobEvent[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void aRunningJobIsRunningOnAJobManagerThatAnswers() {
        JobStatus status = after(running());
        assertThat(status.shownState()).isEqualTo(JobState.RUNNING);
        assertThat(status.jobManager().state()).isEqualTo(ComponentState.READY);
        assertThat(status.flinkJobId()).isEqualTo(FLINK);
    }

    @Test
    void aJobWhoseJobManagerCannotBeReachedIsUnknownUntilItAnswers() {
        JobStatus lost = after(with(running(), new JobManagerUnreachable(JOB, FLINK, T, 3, "Connection refused")));
        assertThat(lost.state()).isEqualTo(JobState.RUNNING);
        assertThat(lost.shownState()).isEqualTo(JobState.UNKNOWN);
        assertThat(lost.jobManager().state()).isEqualTo(ComponentState.NOT_READY);
        assertThat(lost.jobManager().message()).contains("3 observer rounds").contains("Connection refused");

        JobStatus back = lost.next(new JobManagerReachable(JOB, FLINK, T), T.plusSeconds(60));
        assertThat(back.shownState()).isEqualTo(JobState.RUNNING);
        assertThat(back.jobManager()).isEqualTo(new JobManagerStatus(ComponentState.READY, T.plusSeconds(60), null));
    }

    @Test
    void aSavepointRequestGoesFromInProgressToSucceededAndBecomesTheLatest() {
        JobStatus triggered = after(with(running(), new SavepointTriggered(JOB, "t-1", FLINK, TriggerReason.SCHEDULED,
                "file:/sp", null, false, null, RequestedBy.service(Source.SCHEDULE), T)));
        assertThat(triggered.savepoint().state()).isEqualTo(SavepointState.IN_PROGRESS);

        JobStatus done = triggered.next(new SavepointCompleted(JOB, "t-1", FLINK, TriggerReason.SCHEDULED, 1L,
                "file:/sp/savepoint-1", T, T.plusSeconds(1), false), T.plusSeconds(1));
        assertThat(done.savepoint().state()).isEqualTo(SavepointState.SUCCEEDED);
        assertThat(done.savepointGeneration()).isEqualTo(1);
        assertThat(done.latestSavepoint()).isEqualTo(new LatestSavepoint("t-1", "file:/sp/savepoint-1", T.plusSeconds(1)));
    }

    @Test
    void failuresInARowCountUntilASavepointCompletesAndTheAgeRunsFromTheLatestOfSavepointAndDeployment() {
        JobSettings every60s = new JobSettings("file:/sp", 60, null, null, false, null, null, false, null);
        JobStatus registered = JobStatus.NONE.next(new JobRegistered(JOB, "uid-1", 1, every60s, KUBECTL), T);
        assertThat(registered.savepointIntervalSeconds()).isEqualTo(60);
        assertThat(registered.savepointAgeFrom()).as("nothing deployed, nothing at risk").isNull();
        assertThat(registered.expectedToRun()).isFalse();

        JobStatus deployed = registered.next(new JobSubmitted(JOB, FLINK, null), T.plusSeconds(10));
        assertThat(deployed.savepointAgeFrom()).isEqualTo(T.plusSeconds(10));
        assertThat(deployed.expectedToRun()).isTrue();
        JobStatus failedTwice = deployed
                .next(new dev.savepoints.command.api.SavepointFailed(JOB, "t-1", FLINK, TriggerReason.SCHEDULED, "disk full",
                        false, T, T.plusSeconds(70)), T.plusSeconds(70))
                .next(new dev.savepoints.command.api.SavepointFailed(JOB, "t-2", FLINK, TriggerReason.SCHEDULED, null,
                        true, T, T.plusSeconds(130)), T.plusSeconds(130));
        assertThat(failedTwice.consecutiveFailures()).isEqualTo(2);

        JobStatus completed = failedTwice.next(new SavepointCompleted(JOB, "t-3", FLINK, TriggerReason.SCHEDULED, 1L,
                "file:/sp/savepoint-3", T, T.plusSeconds(190), false), T.plusSeconds(190));
        assertThat(completed.consecutiveFailures()).isZero();
        assertThat(completed.savepointAgeFrom()).isEqualTo(T.plusSeconds(190));

        JobStatus restarted = completed.next(new dev.savepoints.command.api.RestartedFromSavepoint(JOB, FLINK,
                "f2", "file:/sp/savepoint-3", 1, 1), T.plusSeconds(300));
        assertThat(restarted.savepointAgeFrom()).as("a new run from an older savepoint starts afresh")
                .isEqualTo(T.plusSeconds(300));

        JobStatus unscheduled = restarted.next(new JobSettingsChanged(JOB, SETTINGS, KUBECTL), T.plusSeconds(301));
        assertThat(unscheduled.savepointIntervalSeconds()).isNull();
        assertThat(unscheduled.next(new JobCancelled(JOB, FLINK, null), T.plusSeconds(302)).expectedToRun()).isFalse();
    }

    @Test
    void aLateReportOfAnOlderSavepointDoesNotReplaceTheLatest() {
        JobStatus status = after(with(running(),
                new SavepointCompleted(JOB, "t-2", FLINK, TriggerReason.SCHEDULED, 1L, "new", T, T.plusSeconds(10), false),
                new SavepointCompleted(JOB, "t-1", FLINK, TriggerReason.SCHEDULED, 2L, "old", T, T.plusSeconds(5), true)));
        assertThat(status.latestSavepoint().location()).isEqualTo("new");
        assertThat(status.savepointGeneration()).isEqualTo(2);
    }

    @Test
    void aDeferredSavepointIsShownAsWaitingWithTheReason() {
        JobStatus status = after(with(running(), new SavepointDeferred(JOB, TriggerReason.SCHEDULED,
                "waiting for the JobManager", RequestedBy.service(Source.SCHEDULE), T)));
        assertThat(status.savepoint()).isEqualTo(new SavepointRequest(null, null, T, TriggerReason.SCHEDULED,
                SavepointState.WAITING, "waiting for the JobManager"));
    }

    @Test
    void aControlShowsItsSavepointAndEndsInTheOperatorsWords() {
        JobStatus progressing = after(with(running(), new ControlRequested(JOB, "c-1", ControlName.SAVEPOINT, "k", ANNOTATOR),
                new SavepointTriggered(JOB, "t-1", FLINK, TriggerReason.USER_CONTROL, "file:/sp", null, false, "c-1",
                        ANNOTATOR, T)));
        assertThat(progressing.control().state()).isEqualTo(ControlState.PROGRESSING);
        assertThat(progressing.control().savepointTriggerId()).isEqualTo("t-1");
        assertThat(ControlState.PROGRESSING.word()).isEqualTo("Progressing");

        JobStatus refusedMeanwhile = progressing.next(new ControlRejected(JOB, "job-cancel", "k2", "busy", ANNOTATOR), T);
        assertThat(refusedMeanwhile).as("a refusal leaves the running control in place").isSameAs(progressing);

        JobStatus done = progressing.next(new ControlSucceeded(JOB, "c-1", ControlName.SAVEPOINT, FLINK, "t-1", "loc"), T);
        assertThat(done.control().state()).isEqualTo(ControlState.SUCCEEDED);
        JobStatus refused = done.next(new ControlRejected(JOB, "suspend", "k3", "unknown control", ANNOTATOR), T);
        assertThat(refused.control().state().word()).isEqualTo("Failed");
    }

    @Test
    void aCorrectedSpecClearsTheRefusal() {
        JobStatus refused = after(with(running(), new JobSettingsRejected(JOB, SETTINGS, "autoSavepointSeconds must not "
                + "be negative, was -3", KUBECTL)));
        assertThat(refused.control().state()).isEqualTo(ControlState.FAILED);
        JobStatus corrected = refused.next(new JobSettingsChanged(JOB, SETTINGS, KUBECTL), T);
        assertThat(corrected.control()).isEqualTo(new ControlStatus(null, ControlStatus.UPDATE, ControlState.SUCCEEDED,
                null, null, null, T));
    }

    @Test
    void aResourceRefusedBeforeItRegisteredHasAStatusOfItsOwn() {
        JobStatus registered = after(running());
        JobStatus refused = registered.next(new JobRegistrationRejected(JOB, "uid-2", SETTINGS, "bad", KUBECTL), T);
        assertThat(refused.uid()).isEqualTo("uid-2");
        assertThat(refused.incarnation()).isZero();
        assertThat(refused.control().message()).isEqualTo("bad");

        JobStatus taken = refused.next(new JobRegistered(JOB, "uid-2", 2, SETTINGS, KUBECTL), T);
        assertThat(taken.incarnation()).isEqualTo(2);
        assertThat(taken.control().state()).isEqualTo(ControlState.SUCCEEDED);
    }

    @Test
    void aFailureAndARefusedRestartAreBothReasons() {
        JobStatus status = after(with(running(), new JobFailed(JOB, FLINK, "boom"),
                new JobRestartRefused(JOB, FLINK, "no savepoint is recorded to restart from")));
        assertThat(status.shownState()).isEqualTo(JobState.FAILED);
        assertThat(status.failureReasons()).containsExactly("boom", "not restarted: no savepoint is recorded to restart from");
    }

    @Test
    void anEventThatChangesNothingGivesTheSameStatus() {
        JobStatus running = after(running());
        assertThat(running.next(new AutomaticSavepointScheduled(JOB, T), T.plusSeconds(99))).isSameAs(running);
    }

    @Test
    void aRunIsTimedFromItsSubmissionToItsEndAndAStopWithSavepointIsItsFinalState() {
        JobStatus running = after(running()); // submitted at T+1, running at T+2
        assertThat(running.times()).isEqualTo(new RunTimes(T.plusSeconds(1), T.plusSeconds(2), null));
        JobStatus stillRunning = running.next(new JobStateChanged(JOB, FLINK, JobState.RUNNING, JobState.RUNNING),
                T.plusSeconds(30));
        assertThat(stillRunning.times().startTime()).as("first seen running").isEqualTo(T.plusSeconds(2));

        JobStatus stopped = running.next(new JobCancelled(JOB, FLINK, "file:/sp/savepoint-final"), T.plusSeconds(60));
        assertThat(stopped.times().completionTime()).isEqualTo(T.plusSeconds(60));
        assertThat(stopped.finalSavepoint()).isTrue();

        JobStatus again = stopped.next(new JobSubmitted(JOB, "another", "file:/sp/savepoint-final"), T.plusSeconds(90));
        assertThat(again.times()).isEqualTo(new RunTimes(T.plusSeconds(90), null, null));
        assertThat(again.finalSavepoint()).isFalse();
    }

    private static dev.savepoints.command.api.ClusterComponents cluster(boolean taskManagersReady) {
        var state = taskManagersReady ? ComponentState.READY : ComponentState.NOT_READY;
        return new dev.savepoints.command.api.ClusterComponents(
                dev.savepoints.command.api.ClusterComponent.of("sample-configmap", ComponentState.READY),
                new dev.savepoints.command.api.ClusterComponent("sample-jobmanager", ComponentState.READY, 1, 1),
                dev.savepoints.command.api.ClusterComponent.of("sample-jobmanager", ComponentState.READY),
                new dev.savepoints.command.api.ClusterComponent("sample-taskmanager", state, 2, taskManagersReady ? 2 : 1));
    }

    @Test
    void aCreatedClusterIsCreatingUntilEachObjectIsReadyAndReconcilingWhenOneIsNotAnyMore() {
        JobEvent registered = new JobRegistered(JOB, "uid-1", 1, SETTINGS, KUBECTL);
        var notReady = new dev.savepoints.command.api.ClusterComponentsObserved(JOB, cluster(false));
        var ready = new dev.savepoints.command.api.ClusterComponentsObserved(JOB, cluster(true));
        assertThat(after(registered).clusterState()).isEqualTo(ClusterState.CREATING);
        assertThat(after(registered, notReady).clusterState()).isEqualTo(ClusterState.CREATING);
        assertThat(after(registered, notReady).components()).isEqualTo(cluster(false));
        assertThat(after(with(running(), ready)).clusterState()).isEqualTo(ClusterState.RUNNING);
        assertThat(after(with(running(), ready, notReady)).clusterState()).isEqualTo(ClusterState.RECONCILING);
        assertThat(after(with(running(), notReady, new JobStateChanged(JOB, FLINK, JobState.RUNNING, JobState.FAILED)))
                .clusterState()).as("a job that ended is Stopped, whatever its cluster").isEqualTo(ClusterState.STOPPED);
        assertThat(after(running()).components()).as("no cluster created: none shown").isNull();
        assertThat(after(with(new JobEvent[] {registered, ready}, new JobRegistered(JOB, "uid-2", 2, SETTINGS, KUBECTL)))
                .components()).as("a new resource's cluster is seen anew").isNull();
    }

    @Test
    void aJobBeingStoppedWithASavepointIsStoppingThenStopped() {
        JobEvent requested = new ControlRequested(JOB, "c-1", ControlName.JOB_CANCEL, "key", ANNOTATOR);
        assertThat(after(with(running(), requested)).clusterState()).isEqualTo(ClusterState.STOPPING);
        assertThat(after(with(running(), requested, new JobStateChanged(JOB, FLINK, JobState.RUNNING, JobState.CANCELLED)))
                .clusterState()).isEqualTo(ClusterState.STOPPED);
    }
}

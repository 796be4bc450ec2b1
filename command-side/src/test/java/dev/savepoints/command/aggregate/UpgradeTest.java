package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;

import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.FailJobSubmission;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobCancelRequested;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobManagerAddressSet;
import dev.savepoints.command.api.JobManagerReachable;
import dev.savepoints.command.api.JobManagerUnreachable;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmissionFailed;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.JobUpgradeRefused;
import dev.savepoints.command.api.JobUpgradeRolledBack;
import dev.savepoints.command.api.JobUpgradeStarted;
import dev.savepoints.command.api.JobUpgradeSucceeded;
import dev.savepoints.command.api.JobUpgradeTrialStarted;
import dev.savepoints.command.api.JobUpgradeWaiting;
import dev.savepoints.command.api.JobVersion;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.TriggerReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A spec change of what a running job runs is a stateful upgrade: stop with savepoint, start from it, roll back. */
class UpgradeTest {

    private static final JobArtifact NEW = new JobArtifact(ARTIFACT.jarFile(), ARTIFACT.entryClass(),
            List.of("--rate", "20"), 1);
    private static final String SAVEPOINT = location("id-2");
    private static final String NEW_FLINK_JOB = "d0c55ce62eba6ab41b6bb9288ef79c12";
    private static final Duration TRIAL = POLICY.upgradeTrialPeriod();
    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static JobSettings spec(JobArtifact artifact, boolean takeSavepointOnUpdate, String fromSavepoint,
                                    Integer maxAge) {
        return new JobSettings(DIR, null, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE, fromSavepoint, false,
                SavepointFormatType.CANONICAL, maxAge, takeSavepointOnUpdate, artifact);
    }

    private static final JobSettings OLD_SPEC = spec(ARTIFACT, true, null, null);
    private static final JobSettings NEW_SPEC = spec(NEW, true, null, null);

    private static SavepointTriggered stop(String triggerId) {
        return new SavepointTriggered(JOB, triggerId, FLINK_JOB, TriggerReason.UPDATE, DIR, SavepointFormatType.CANONICAL,
                true, null, KUBECTL, T0);
    }

    private static JobVersion version(JobArtifact artifact) {
        return new JobVersion(artifact, false, null);
    }

    private static JobUpgradeStarted started(boolean takeSavepoint, String fromSavepoint) {
        return new JobUpgradeStarted(JOB, "id-1", version(ARTIFACT), version(NEW), takeSavepoint, fromSavepoint, KUBECTL);
    }

    /** The old version stopped with the upgrade's savepoint, the new one submitted from it. */
    private static Object[] newVersionRequested() {
        return concat(running(OLD_SPEC), new JobSettingsChanged(JOB, NEW_SPEC, KUBECTL), started(true, null), stop("id-2"),
                new SavepointCompleted(JOB, "id-2", FLINK_JOB, TriggerReason.UPDATE, 1L, SAVEPOINT, T0, T0, false),
                new JobCancelled(JOB, FLINK_JOB, SAVEPOINT),
                new JobSubmissionRequested(JOB, NEW, SAVEPOINT, false));
    }

    private static Object[] inTrial() {
        return concat(newVersionRequested(), new JobSubmitted(JOB, NEW_FLINK_JOB, SAVEPOINT),
                new JobStateChanged(JOB, NEW_FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING),
                new JobUpgradeTrialStarted(JOB, "id-1", NEW_FLINK_JOB, T0.plus(TRIAL)));
    }

    @Test
    void newArgumentsOfARunningJobStopItWithASavepoint() {
        at(fixture, running(OLD_SPEC))
                .when(new ChangeJobSettings(JOB, NEW_SPEC, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, NEW_SPEC, KUBECTL), started(true, null), stop("id-2"));
    }

    @Test
    void theNewVersionStartsFromTheStopSavepoint() {
        at(fixture, concat(running(OLD_SPEC), new JobSettingsChanged(JOB, NEW_SPEC, KUBECTL), started(true, null),
                stop("id-2")))
                .when(new CompleteSavepoint(JOB, "id-2", SAVEPOINT))
                .expectEvents(new SavepointCompleted(JOB, "id-2", FLINK_JOB, TriggerReason.UPDATE, 1L, SAVEPOINT, T0, T0,
                                false), new JobCancelled(JOB, FLINK_JOB, SAVEPOINT),
                        new JobSubmissionRequested(JOB, NEW, SAVEPOINT, false));
        at(newFixture(), newVersionRequested())
                .when(new RecordJobSubmitted(JOB, NEW_FLINK_JOB))
                .expectEvents(new JobSubmitted(JOB, NEW_FLINK_JOB, SAVEPOINT));
    }

    @Test
    void theOldVersionSeenEndingAfterTheStopDoesNotHoldUpTheNewOne() {
        at(fixture, newVersionRequested())
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FINISHED, null))
                .expectNoEvents();
        at(newFixture(), newVersionRequested())
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.FINISHED, null))
                .when(new RecordJobSubmitted(JOB, NEW_FLINK_JOB))
                .expectEvents(new JobSubmitted(JOB, NEW_FLINK_JOB, SAVEPOINT));
    }

    @Test
    void theNewVersionRunningThroughItsTrialIsASuccess() {
        at(fixture, concat(newVersionRequested(), new JobSubmitted(JOB, NEW_FLINK_JOB, SAVEPOINT)))
                .when(new ReportJobState(JOB, NEW_FLINK_JOB, JobState.RUNNING, null))
                .expectEvents(new JobStateChanged(JOB, NEW_FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING),
                        new JobUpgradeTrialStarted(JOB, "id-1", NEW_FLINK_JOB, T0.plus(TRIAL)))
                .expectScheduledDeadlineWithName(TRIAL, FlinkJob.UPGRADE_TRIAL);
        at(newFixture(), concat(newVersionRequested(), new JobSubmitted(JOB, NEW_FLINK_JOB, SAVEPOINT)))
                .andGivenCommands(new ReportJobState(JOB, NEW_FLINK_JOB, JobState.RUNNING, null))
                .whenTimeElapses(TRIAL)
                .expectEvents(new JobUpgradeSucceeded(JOB, "id-1", NEW_FLINK_JOB, SAVEPOINT));
    }

    @Test
    void aNewVersionThatFailsInItsTrialIsRolledBackInsteadOfRestarted() {
        at(fixture, inTrial())
                .when(new ReportJobState(JOB, NEW_FLINK_JOB, JobState.FAILED, "boom"))
                .expectEvents(new JobFailed(JOB, NEW_FLINK_JOB, "boom"),
                        new JobUpgradeRolledBack(JOB, "id-1", NEW_FLINK_JOB, "boom", ARTIFACT, SAVEPOINT),
                        new JobSubmissionRequested(JOB, ARTIFACT, SAVEPOINT, false));
    }

    @Test
    void aNewVersionThatCannotBeSubmittedIsRolledBack() {
        at(fixture, newVersionRequested())
                .when(new FailJobSubmission(JOB, "no such class"))
                .expectEvents(new JobSubmissionFailed(JOB, "no such class"),
                        new JobUpgradeRolledBack(JOB, "id-1", FLINK_JOB, "no such class", ARTIFACT, SAVEPOINT),
                        new JobSubmissionRequested(JOB, ARTIFACT, SAVEPOINT, false));
    }

    @Test
    void aRolledBackVersionIsNotTriedAgainUntilTheSpecChanges() {
        String restored = "e0c55ce62eba6ab41b6bb9288ef79c12";
        Object[] rolledBack = concat(inTrial(), new JobFailed(JOB, NEW_FLINK_JOB, "boom"),
                new JobUpgradeRolledBack(JOB, "id-1", NEW_FLINK_JOB, "boom", ARTIFACT, SAVEPOINT),
                new JobSubmissionRequested(JOB, ARTIFACT, SAVEPOINT, false), new JobSubmitted(JOB, restored, SAVEPOINT));
        at(fixture, rolledBack)
                .when(new ReportJobState(JOB, restored, JobState.RUNNING, null))
                .expectEvents(new JobStateChanged(JOB, restored, JobState.DEPLOYING, JobState.RUNNING));
        JobSettings newer = spec(new JobArtifact(ARTIFACT.jarFile(), ARTIFACT.entryClass(), List.of("--rate", "30"), 1),
                true, null, null);
        at(newFixture(), concat(rolledBack, new JobStateChanged(JOB, restored, JobState.DEPLOYING, JobState.RUNNING)))
                .when(new ChangeJobSettings(JOB, newer, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, newer, KUBECTL),
                        new JobUpgradeStarted(JOB, "id-1", version(ARTIFACT), version(newer.artifact()), true, null, KUBECTL),
                        new SavepointTriggered(JOB, "id-2", restored, TriggerReason.UPDATE, DIR,
                                SavepointFormatType.CANONICAL, true, null, KUBECTL, T0));
    }

    @Test
    void aStopThatFailsLeavesTheOldVersionRunningAndIsTriedAgain() {
        Duration backoff = POLICY.requestRetries().delay(1);
        Object[] stopping = concat(running(OLD_SPEC), new JobSettingsChanged(JOB, NEW_SPEC, KUBECTL), started(true, null),
                stop("id-2"));
        at(fixture, stopping)
                .when(new FailSavepoint(JOB, "id-2", "Permission denied", false))
                .expectEvents(new SavepointFailed(JOB, "id-2", FLINK_JOB, TriggerReason.UPDATE, "Permission denied", false,
                                T0, T0),
                        new JobUpgradeWaiting(JOB, "id-1", "the upgrade's savepoint failed: Permission denied; the old "
                                + "version runs on, tried again at " + T0.plus(backoff), T0.plus(backoff)))
                .expectScheduledDeadlineWithName(backoff, FlinkJob.UPGRADE_RETRY);
        at(newFixture(), stopping)
                .andGivenCommands(new FailSavepoint(JOB, "id-2", "Permission denied", false))
                .whenTimeElapses(backoff)
                .expectEvents(new SavepointTriggered(JOB, "id-1", FLINK_JOB, TriggerReason.UPDATE, DIR,
                        SavepointFormatType.CANONICAL, true, null, KUBECTL, T0.plus(backoff)));
    }

    @Test
    void aChangeMadeWhileASavepointRunsWaitsForIt() {
        Object[] busy = concat(running(OLD_SPEC), triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0));
        at(fixture, busy)
                .when(new ChangeJobSettings(JOB, NEW_SPEC, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, NEW_SPEC, KUBECTL));
        at(newFixture(), concat(busy, new JobSettingsChanged(JOB, NEW_SPEC, KUBECTL)))
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0), started(true, null), stop("id-2"));
    }

    @Test
    void withoutASavepointOnUpdateTheLatestYoungEnoughIsUsed() {
        JobSettings noStop = spec(NEW, false, null, 3600);
        at(fixture, concat(running(spec(ARTIFACT, false, null, 3600)), completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0)))
                .when(new ChangeJobSettings(JOB, noStop, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, noStop, KUBECTL), started(false, location("t-1")),
                        new JobCancelRequested(JOB, FLINK_JOB, "id-1"));
        at(newFixture(), concat(running(spec(ARTIFACT, false, null, 3600)),
                completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0), new JobSettingsChanged(JOB, noStop, KUBECTL),
                started(false, location("t-1")), new JobCancelRequested(JOB, FLINK_JOB, "id-1")))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.CANCELLED, null))
                .expectEvents(new JobCancelled(JOB, FLINK_JOB, null),
                        new JobSubmissionRequested(JOB, NEW, location("t-1"), false));
    }

    @Test
    void withoutASavepointOnUpdateATooOldOneIsRefusedWithTheReason() {
        JobSettings noStop = spec(NEW, false, null, 60);
        Object[] old = concat(running(spec(ARTIFACT, false, null, 60)),
                completed("t-1", TriggerReason.SCHEDULED, 1, T0.minusSeconds(600), T0.minusSeconds(600)));
        at(fixture, old)
                .when(new ChangeJobSettings(JOB, noStop, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, noStop, KUBECTL), new JobUpgradeRefused(JOB, version(NEW),
                        "takeSavepointOnUpdate is false and the latest savepoint (" + T0.minusSeconds(600) + ") is older "
                                + "than maxStateAgeToRestoreSeconds (60): the new version would start from empty state. "
                                + "Set takeSavepointOnUpdate, or change fromSavepoint with the version (clear it to start "
                                + "from empty state)", KUBECTL));
    }

    @Test
    void clearingFromSavepointWithTheVersionStartsItFromEmptyState() {
        JobSettings oldWithSavepoint = spec(ARTIFACT, false, "gs://b/old", 60);
        JobSettings cleared = spec(NEW, false, null, 60);
        at(fixture, running(oldWithSavepoint))
                .when(new ChangeJobSettings(JOB, cleared, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, cleared, KUBECTL),
                        new JobUpgradeStarted(JOB, "id-1", version(ARTIFACT), version(NEW), false, null, KUBECTL),
                        new JobCancelRequested(JOB, FLINK_JOB, "id-1"));
    }

    private static final String OTHER_JOB_MANAGER = "http://other-jobmanager.flink.svc:8081";
    private static final JobSettings MOVED = new JobSettings(DIR, null, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE, null,
            false, SavepointFormatType.CANONICAL, null, true, ARTIFACT, OTHER_JOB_MANAGER);
    private static final JobVersion AT_THE_DEFAULT = version(ARTIFACT);
    private static final JobVersion AT_THE_OTHER = new JobVersion(ARTIFACT, false, OTHER_JOB_MANAGER);

    private static Object[] moveStarted() {
        return concat(running(OLD_SPEC), new JobSettingsChanged(JOB, MOVED, KUBECTL), new JobManagerAddressSet(JOB, null),
                new JobUpgradeStarted(JOB, "id-1", AT_THE_DEFAULT, AT_THE_OTHER, true, null, KUBECTL), stop("id-2"));
    }

    @Test
    void aRunningJobMovedToAnotherJobManagerIsStoppedAtItsOwnAndStartedAtTheOther() {
        at(fixture, running(OLD_SPEC))
                .when(new ChangeJobSettings(JOB, MOVED, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, MOVED, KUBECTL), new JobManagerAddressSet(JOB, null),
                        new JobUpgradeStarted(JOB, "id-1", AT_THE_DEFAULT, AT_THE_OTHER, true, null, KUBECTL),
                        stop("id-2"));
        at(newFixture(), moveStarted())
                .when(new CompleteSavepoint(JOB, "id-2", SAVEPOINT))
                .expectEvents(new SavepointCompleted(JOB, "id-2", FLINK_JOB, TriggerReason.UPDATE, 1L, SAVEPOINT, T0, T0,
                                false), new JobCancelled(JOB, FLINK_JOB, SAVEPOINT),
                        new JobManagerAddressSet(JOB, OTHER_JOB_MANAGER),
                        new JobSubmissionRequested(JOB, ARTIFACT, SAVEPOINT, false));
    }

    @Test
    void aMovedJobThatFailsInItsTrialRunsAgainAtItsOldJobManager() {
        at(fixture, concat(moveStarted(),
                new SavepointCompleted(JOB, "id-2", FLINK_JOB, TriggerReason.UPDATE, 1L, SAVEPOINT, T0, T0, false),
                new JobCancelled(JOB, FLINK_JOB, SAVEPOINT), new JobManagerAddressSet(JOB, OTHER_JOB_MANAGER),
                new JobSubmissionRequested(JOB, ARTIFACT, SAVEPOINT, false), new JobSubmitted(JOB, NEW_FLINK_JOB, SAVEPOINT)))
                .when(new ReportJobState(JOB, NEW_FLINK_JOB, JobState.FAILED, "no slots"))
                .expectEvents(new JobFailed(JOB, NEW_FLINK_JOB, "no slots"),
                        new JobUpgradeRolledBack(JOB, "id-1", NEW_FLINK_JOB, "no slots", ARTIFACT, SAVEPOINT),
                        new JobManagerAddressSet(JOB, null), new JobSubmissionRequested(JOB, ARTIFACT, SAVEPOINT, false));
    }

    @Test
    void aJobWhoseJobManagerDoesNotAnswerIsCalledAtTheNewAddressAtOnce() {
        Instant since = T0.minusSeconds(30);
        Object[] unreachable = concat(running(OLD_SPEC), new JobManagerUnreachable(JOB, FLINK_JOB, since, 3, "refused"));
        at(fixture, unreachable)
                .when(new ChangeJobSettings(JOB, MOVED, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, MOVED, KUBECTL));
        at(newFixture(), concat(unreachable, new JobSettingsChanged(JOB, MOVED, KUBECTL)))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .expectEvents(new JobManagerReachable(JOB, FLINK_JOB, since)); // found there: nothing to upgrade
    }

    // ---- a new declaration of the Flink cluster the service created ----

    private static JobSettings onCluster(String revision) {
        return new JobSettings(DIR, null, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE, null, false,
                SavepointFormatType.CANONICAL, null, true, ARTIFACT, null, revision);
    }

    @Test
    void aNewDeclarationOfARunningJobsClusterIsAnUpgradeWithASavepoint() {
        JobVersion before = new JobVersion(ARTIFACT, false, null, "rev-1");
        JobVersion after = new JobVersion(ARTIFACT, false, null, "rev-2");
        at(fixture, running(onCluster("rev-1")))
                .when(new ChangeJobSettings(JOB, onCluster("rev-2"), KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, onCluster("rev-2"), KUBECTL),
                        new JobUpgradeStarted(JOB, "id-1", before, after, true, null, KUBECTL), stop("id-2"));
    }

    @Test
    void theSameJarOnTheNewClusterStartsFromTheStopSavepointAndIsTheVersionAsked() {
        Object[] stopped = concat(running(onCluster("rev-1")), new JobSettingsChanged(JOB, onCluster("rev-2"), KUBECTL),
                new JobUpgradeStarted(JOB, "id-1", new JobVersion(ARTIFACT, false, null, "rev-1"),
                        new JobVersion(ARTIFACT, false, null, "rev-2"), true, null, KUBECTL), stop("id-2"));
        at(fixture, stopped)
                .when(new CompleteSavepoint(JOB, "id-2", SAVEPOINT))
                .expectEvents(new SavepointCompleted(JOB, "id-2", FLINK_JOB, TriggerReason.UPDATE, 1L, SAVEPOINT, T0, T0,
                        false), new JobCancelled(JOB, FLINK_JOB, SAVEPOINT),
                        new JobSubmissionRequested(JOB, ARTIFACT, SAVEPOINT, false));
        at(newFixture(), concat(stopped, new SavepointCompleted(JOB, "id-2", FLINK_JOB, TriggerReason.UPDATE, 1L, SAVEPOINT,
                        T0, T0, false), new JobCancelled(JOB, FLINK_JOB, SAVEPOINT),
                        new JobSubmissionRequested(JOB, ARTIFACT, SAVEPOINT, false),
                        new JobSubmitted(JOB, NEW_FLINK_JOB, SAVEPOINT),
                        new JobStateChanged(JOB, NEW_FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING)))
                .when(new ChangeJobSettings(JOB, onCluster("rev-2"), KUBECTL))
                .expectNoEvents(); // it runs on the cluster as declared: nothing more to upgrade
    }

    @Test
    void aNewDeclarationOfAStoppedJobsClusterIsNoUpgrade() {
        at(fixture, concat(running(onCluster("rev-1")), new JobCancelled(JOB, FLINK_JOB, null)))
                .when(new ChangeJobSettings(JOB, onCluster("rev-2"), KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, onCluster("rev-2"), KUBECTL));
    }

    @Test
    void aRunningJobOnAClusterTheServiceDidNotCreateAdoptsItsDeclarationWithoutAnUpgrade() {
        at(fixture, running(onCluster(null)))
                .when(new ChangeJobSettings(JOB, onCluster("rev-1"), KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, onCluster("rev-1"), KUBECTL));
        at(newFixture(), concat(running(onCluster(null)), new JobSettingsChanged(JOB, onCluster("rev-1"), KUBECTL)))
                .when(new ChangeJobSettings(JOB, onCluster("rev-2"), KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, onCluster("rev-2"), KUBECTL),
                        new JobUpgradeStarted(JOB, "id-1", new JobVersion(ARTIFACT, false, null, "rev-1"),
                                new JobVersion(ARTIFACT, false, null, "rev-2"), true, null, KUBECTL), stop("id-2"));
    }
}

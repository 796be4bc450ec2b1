package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;

import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.FailJobSubmission;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobRestartRequested;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmissionFailed;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.RecordRestart;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.RestartedFromSavepoint;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.TriggerReason;
import java.time.Duration;
import org.axonframework.deadline.GenericDeadlineMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private static final String NEW_FLINK_JOB = "e689263060695231f62fa8b00f97b383";
    private static final String CAUSE = "java.lang.ArithmeticException: / by zero";
    private static final JobSettings RESTARTING = settings(null, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    /** A job with a restart policy and one completed savepoint. */
    private static Object[] runningWithSavepoint(JobSettings settings) {
        return concat(running(settings), triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0),
                completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0));
    }

    @Test
    void aSubmittedJobIsDeployingFromItsFromSavepoint() {
        JobSettings settings = new JobSettings(DIR, null, null, "gs://my-bucket/savepoints/savepoint-123", false, null, null,
                false, ARTIFACT);
        at(fixture, registered(settings), new JobSubmissionRequested(JOB, ARTIFACT, "gs://my-bucket/savepoints/savepoint-123", false))
                .when(new RecordJobSubmitted(JOB, FLINK_JOB))
                .expectEvents(new JobSubmitted(JOB, FLINK_JOB, "gs://my-bucket/savepoints/savepoint-123"));
    }

    @Test
    void aRepeatedSubmissionReportIsRecordedOnceAndAnotherJobIdIsRefused() {
        at(fixture, running(plainSettings()))
                .when(new RecordJobSubmitted(JOB, FLINK_JOB))
                .expectNoEvents();
        at(fixture, running(plainSettings()))
                .when(new RecordJobSubmitted(JOB, NEW_FLINK_JOB))
                .expectException(IllegalStateException.class);
    }

    @Test
    void aFailedFirstSubmissionLeavesTheJobFailed() {
        at(fixture, registered(RESTARTING), new JobSubmissionRequested(JOB, ARTIFACT, null, false))
                .when(new FailJobSubmission(JOB, "jar not found: /opt/flink/job.jar"))
                .expectEvents(new JobSubmissionFailed(JOB, "jar not found: /opt/flink/job.jar"))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aCorrectedSpecResubmitsAJobWhoseSubmissionFailed() {
        dev.savepoints.command.api.JobArtifact fixed = new dev.savepoints.command.api.JobArtifact("/opt/flink/fixed.jar",
                "org.example.Counter", java.util.List.of(), 1);
        JobSettings corrected = new JobSettings(DIR, null, RestartPolicy.NEVER, null, false, null, null, false, fixed);
        at(fixture, registered(plainSettings()), new JobSubmissionRequested(JOB, ARTIFACT, null, false),
                new JobSubmissionFailed(JOB, "jar not found: /opt/flink/job.jar"))
                .when(new dev.savepoints.command.api.ChangeJobSettings(JOB, corrected, KUBECTL))
                .expectEvents(new dev.savepoints.command.api.JobSettingsChanged(JOB, corrected, KUBECTL),
                        new JobSubmissionRequested(JOB, fixed, null, false));
    }

    @Test
    void aSpecChangeDoesNotResubmitAJobFlinkRan() {
        dev.savepoints.command.api.JobArtifact other = new dev.savepoints.command.api.JobArtifact("/opt/flink/v2.jar",
                "org.example.Counter", java.util.List.of(), 1);
        JobSettings changed = new JobSettings(DIR, null, RestartPolicy.NEVER, null, false, null, null, false, other);
        at(fixture, concat(running(plainSettings()), new JobFailed(JOB, FLINK_JOB, CAUSE)))
                .when(new dev.savepoints.command.api.ChangeJobSettings(JOB, changed, KUBECTL))
                .expectEvents(new dev.savepoints.command.api.JobSettingsChanged(JOB, changed, KUBECTL));
    }

    @Test
    void aJobBecomesRunning() {
        at(fixture, registered(plainSettings()), new JobSubmitted(JOB, FLINK_JOB, null))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .expectEvents(new JobStateChanged(JOB, FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING));
    }

    @Test
    void reportsAboutAnotherFlinkJobOrTheSameStateChangeNothing() {
        at(fixture, running(plainSettings()))
                .when(new ReportJobState(JOB, NEW_FLINK_JOB, JobState.FAILED, CAUSE))
                .expectNoEvents();
        at(fixture, running(plainSettings()))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .expectNoEvents();
    }

    @Test
    void aTerminalJobDoesNotComeBackNorFailTwice() {
        at(fixture, concat(running(plainSettings()), new JobFailed(JOB, FLINK_JOB, CAUSE)))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .expectNoEvents();
        at(fixture, runningWithSavepoint(RESTARTING))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, CAUSE))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.LOST, null))
                .expectNoEvents();
    }

    @Test
    void onlyObservableStatesCanBeReported() {
        at(fixture, running(plainSettings()))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.RESTARTING, null))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void aFailedJobWithoutRestartPolicyStaysFailed() {
        at(fixture, runningWithSavepoint(settings(60, RestartPolicy.NEVER)))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, CAUSE))
                .expectEvents(new JobFailed(JOB, FLINK_JOB, CAUSE))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aFailedJobIsRestartedFromItsLatestSavepointAfterABackoff() {
        at(fixture, runningWithSavepoint(RESTARTING))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, CAUSE))
                .expectEvents(new JobFailed(JOB, FLINK_JOB, CAUSE),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0.plusSeconds(10)))
                .expectScheduledDeadlineWithName(Duration.ofSeconds(10), FlinkJob.RESTART);
    }

    @Test
    void whenTheBackoffIsOverTheRestartIsRequested() {
        at(fixture, runningWithSavepoint(RESTARTING))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, CAUSE))
                .whenTimeElapses(Duration.ofSeconds(10))
                .expectEvents(new JobRestartRequested(JOB, ARTIFACT, location("t-1"), false, 1))
                .expectTriggeredDeadlinesWithName(FlinkJob.RESTART);
    }

    /** The previous version scheduled restarts without a number; such a deadline, pending across the upgrade, counts. */
    @Test
    void aRestartDeadlineOfThePreviousVersionStillRestartsTheJob() {
        fixture.registerDeadlineDispatchInterceptor(deadlines -> (index, deadline) ->
                GenericDeadlineMessage.asDeadlineMessage(deadline.getDeadlineName(), null, deadline.getTimestamp()));
        at(fixture, concat(runningWithSavepoint(RESTARTING),
                        new JobFailed(JOB, FLINK_JOB, CAUSE),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0),
                        new RestartedFromSavepoint(JOB, FLINK_JOB, FLINK_JOB, location("t-1"), 1, 1),
                        new JobStateChanged(JOB, FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING)))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, CAUSE))
                .whenTimeElapses(Duration.ofSeconds(60))
                .expectEvents(new JobRestartRequested(JOB, ARTIFACT, location("t-1"), false, 2));
    }

    @Test
    void aVanishedJobIsRestartedToo() {
        at(fixture, runningWithSavepoint(RESTARTING))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.LOST, null))
                .expectEvents(new JobStateChanged(JOB, FLINK_JOB, JobState.RUNNING, JobState.LOST),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0.plusSeconds(10)));
    }

    @Test
    void noRestartWithoutARecordedSavepoint() {
        at(fixture, running(RESTARTING))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, CAUSE))
                .expectEvents(new JobFailed(JOB, FLINK_JOB, CAUSE),
                        new JobRestartRefused(JOB, FLINK_JOB, "no savepoint is recorded to restart from"))
                .expectNoScheduledDeadlines();
    }

    @Test
    void noRestartFromASavepointOlderThanMaxStateAge() {
        JobSettings maxAge = new JobSettings(DIR, null, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE, null, false,
                SavepointFormatType.CANONICAL, 60, false, ARTIFACT);
        at(fixture, runningWithSavepoint(maxAge))
                .andGivenCurrentTime(T0.plusSeconds(61))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, CAUSE))
                .expectEvents(new JobFailed(JOB, FLINK_JOB, CAUSE), new JobRestartRefused(JOB, FLINK_JOB,
                        "the latest savepoint (2100-01-01T00:00:00Z) is older than maxStateAgeToRestoreSeconds (60)"));
        at(fixture, runningWithSavepoint(maxAge))
                .andGivenCurrentTime(T0.plusSeconds(60))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, CAUSE))
                .expectEvents(new JobFailed(JOB, FLINK_JOB, CAUSE),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0.plusSeconds(70)));
    }

    @Test
    void noRestartWithoutAJarToResubmit() {
        JobSettings noJar = new JobSettings(DIR, null, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE, null, false, null, null,
                false, null);
        at(fixture, concat(new Object[] {registered(noJar), new JobSubmitted(JOB, FLINK_JOB, null),
                        new JobStateChanged(JOB, FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING)},
                        triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0), completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0)))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, CAUSE))
                .expectEvents(new JobFailed(JOB, FLINK_JOB, CAUSE),
                        new JobRestartRefused(JOB, FLINK_JOB, "no jarFile is set to resubmit the job"));
    }

    @Test
    void theRestartIsRecordedWithTheNewFlinkJobAndItsSavepoint() {
        at(fixture, concat(runningWithSavepoint(RESTARTING), new JobFailed(JOB, FLINK_JOB, CAUSE),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0.plusSeconds(10)),
                        new JobRestartRequested(JOB, ARTIFACT, location("t-1"), false, 1)))
                .when(new RecordRestart(JOB, NEW_FLINK_JOB, location("t-1")))
                .expectEvents(new RestartedFromSavepoint(JOB, FLINK_JOB, NEW_FLINK_JOB, location("t-1"), 1, 1));
    }

    @Test
    void aJobThatFailsAgainAtOnceWaitsLongerEachTime() {
        at(fixture, concat(runningWithSavepoint(RESTARTING), new JobFailed(JOB, FLINK_JOB, CAUSE),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0.plusSeconds(10)),
                        new JobRestartRequested(JOB, ARTIFACT, location("t-1"), false, 1),
                        new RestartedFromSavepoint(JOB, FLINK_JOB, NEW_FLINK_JOB, location("t-1"), 1, 1),
                        new JobStateChanged(JOB, NEW_FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING)))
                .when(new ReportJobState(JOB, NEW_FLINK_JOB, JobState.FAILED, CAUSE))
                .expectEvents(new JobFailed(JOB, NEW_FLINK_JOB, CAUSE),
                        new JobRestartScheduled(JOB, NEW_FLINK_JOB, location("t-1"), 2, T0.plusSeconds(20)))
                .expectScheduledDeadlineWithName(Duration.ofSeconds(20), FlinkJob.RESTART);
    }

    @Test
    void aSavepointAfterARestartResetsTheBackoff() {
        at(fixture, concat(runningWithSavepoint(RESTARTING), new JobFailed(JOB, FLINK_JOB, CAUSE),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0.plusSeconds(10)),
                        new RestartedFromSavepoint(JOB, FLINK_JOB, NEW_FLINK_JOB, location("t-1"), 1, 1),
                        new JobStateChanged(JOB, NEW_FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING),
                        new dev.savepoints.command.api.SavepointTriggered(JOB, "t-2", NEW_FLINK_JOB, TriggerReason.SCHEDULED,
                                DIR, SavepointFormatType.CANONICAL, false, null, SCHEDULE, T0),
                        new dev.savepoints.command.api.SavepointCompleted(JOB, "t-2", NEW_FLINK_JOB, TriggerReason.SCHEDULED, 2L,
                                location("t-2"), T0, T0, false)))
                .when(new ReportJobState(JOB, NEW_FLINK_JOB, JobState.FAILED, CAUSE))
                .expectEvents(new JobFailed(JOB, NEW_FLINK_JOB, CAUSE),
                        new JobRestartScheduled(JOB, NEW_FLINK_JOB, location("t-2"), 1, T0.plusSeconds(10)));
    }

    @Test
    void aFailedResubmissionIsRetriedWithTheNextBackoff() {
        at(fixture, concat(runningWithSavepoint(RESTARTING), new JobFailed(JOB, FLINK_JOB, CAUSE),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0.plusSeconds(10)),
                        new JobRestartRequested(JOB, ARTIFACT, location("t-1"), false, 1)))
                .when(new FailJobSubmission(JOB, "Connection refused: flinkjobcluster-sample-jobmanager:8081"))
                .expectEvents(new JobSubmissionFailed(JOB, "Connection refused: flinkjobcluster-sample-jobmanager:8081"),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 2, T0.plusSeconds(20)));
    }

    @Test
    void aRestartIsCalledOffWhenThePolicyChangedDuringTheBackoff() {
        at(fixture, runningWithSavepoint(RESTARTING))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, CAUSE),
                        new ChangeJobSettings(JOB, settings(null, RestartPolicy.NEVER), KUBECTL))
                .whenTimeElapses(Duration.ofSeconds(10))
                .expectEvents(new JobRestartRefused(JOB, FLINK_JOB, "restartPolicy is no longer FromSavepointOnFailure"));
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        org.assertj.core.api.Assertions.assertThat(PROPERTIES.restartBackoff(1)).isEqualTo(Duration.ofSeconds(10));
        org.assertj.core.api.Assertions.assertThat(PROPERTIES.restartBackoff(3)).isEqualTo(Duration.ofSeconds(40));
        org.assertj.core.api.Assertions.assertThat(PROPERTIES.restartBackoff(6)).isEqualTo(Duration.ofMinutes(5));
        org.assertj.core.api.Assertions.assertThat(PROPERTIES.restartBackoff(1000)).isEqualTo(Duration.ofMinutes(5));
    }
}

package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.FailJobCancel;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobCancelRequested;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.TriggerReason;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlTest {

    private static final String KEY = "kubectl-annotate@2100-01-01T00:00:00Z";
    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static SavepointTriggered controlSavepoint(String triggerId, String controlId, TriggerReason reason) {
        return new SavepointTriggered(JOB, triggerId, FLINK_JOB, reason, DIR, SavepointFormatType.CANONICAL,
                reason == TriggerReason.JOB_CANCEL, controlId, ANNOTATOR, T0);
    }

    private static Object[] savepointControlInProgress() {
        return concat(running(plainSettings()),
                new ControlRequested(JOB, "c-1", ControlName.SAVEPOINT, KEY, ANNOTATOR),
                controlSavepoint("t-1", "c-1", TriggerReason.USER_CONTROL));
    }

    @Test
    void theSavepointAnnotationTakesASavepointAsAControl() {
        at(fixture, running(plainSettings()))
                .when(new RequestControl(JOB, "savepoint", KEY, ANNOTATOR))
                .expectEvents(new ControlRequested(JOB, "id-1", ControlName.SAVEPOINT, KEY, ANNOTATOR),
                        controlSavepoint("id-2", "id-1", TriggerReason.USER_CONTROL))
                .expectResultMessagePayload(Decision.accepted("id-1"));
    }

    @Test
    void theControlSucceedsWithItsSavepointAndNamesTheJobAndTrigger() {
        at(fixture, savepointControlInProgress())
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(completed("t-1", TriggerReason.USER_CONTROL, 1, T0, T0),
                        new ControlSucceeded(JOB, "c-1", ControlName.SAVEPOINT, FLINK_JOB, "t-1", location("t-1")))
                .expectState(job -> assertThat(job).extracting("controls.activeControl").isNull());
    }

    @Test
    void theControlFailsWithItsSavepoint() {
        at(fixture, savepointControlInProgress())
                .when(new FailSavepoint(JOB, "t-1", "Checkpoint Coordinator is suspending.", false))
                .expectEvents(new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.USER_CONTROL,
                                "Checkpoint Coordinator is suspending.", false, T0, T0),
                        new ControlFailed(JOB, "c-1", ControlName.SAVEPOINT, FLINK_JOB, "t-1",
                                "savepoint failed: Checkpoint Coordinator is suspending."));
    }

    @Test
    void anUnknownControlIsRejectedWithTheAllowedValues() {
        at(fixture, running(plainSettings()))
                .when(new RequestControl(JOB, "restart", KEY, ANNOTATOR))
                .expectEvents(new ControlRejected(JOB, "restart", KEY,
                        "unknown control 'restart'; expected savepoint or job-cancel", ANNOTATOR))
                .expectResultMessagePayload(Decision.rejected("unknown control 'restart'; expected savepoint or job-cancel"));
    }

    @Test
    void aHugeControlValueIsRejectedWithoutBeingStoredWhole() {
        String huge = "x".repeat(1_000_000);
        String shown = "x".repeat(64) + "…(1000000 characters)";
        at(fixture, running(plainSettings()))
                .when(new RequestControl(JOB, huge, KEY, ANNOTATOR))
                .expectEvents(new ControlRejected(JOB, shown, KEY,
                        "unknown control '" + shown + "'; expected savepoint or job-cancel", ANNOTATOR));
    }

    @Test
    void oneControlAtATime() {
        at(fixture, savepointControlInProgress())
                .when(new RequestControl(JOB, "job-cancel", "another-key", ANNOTATOR))
                .expectEvents(new ControlRejected(JOB, "job-cancel", "another-key",
                        "control savepoint is still in progress", ANNOTATOR));
    }

    @Test
    void theSameRequestSeenAgainIsNotDecidedAgain() {
        at(fixture, savepointControlInProgress())
                .when(new RequestControl(JOB, "savepoint", KEY, ANNOTATOR))
                .expectNoEvents()
                .expectResultMessagePayload(Decision.duplicate("c-1", "this control request was already decided"));
        at(fixture, concat(savepointControlInProgress(), completed("t-1", TriggerReason.USER_CONTROL, 1, T0, T0),
                        new ControlSucceeded(JOB, "c-1", ControlName.SAVEPOINT, FLINK_JOB, "t-1", location("t-1"))))
                .when(new RequestControl(JOB, "savepoint", KEY, ANNOTATOR))
                .expectNoEvents();
    }

    @Test
    void aRequestWithoutKeyForTheControlInProgressIsADuplicate() {
        at(fixture, savepointControlInProgress())
                .when(new RequestControl(JOB, "savepoint", null, ANNOTATOR))
                .expectNoEvents()
                .expectResultMessagePayload(Decision.duplicate("c-1", "control savepoint is in progress"));
    }

    @Test
    void theControlInProgressRequestedUnderAnotherKeyIsStillADuplicate() {
        at(fixture, savepointControlInProgress())
                .when(new RequestControl(JOB, "savepoint", "another-key", ANNOTATOR))
                .expectNoEvents()
                .expectResultMessagePayload(Decision.duplicate("c-1", "control savepoint is in progress"));
    }

    @Test
    void aSavepointControlNeedsASavepointsDirAndARunningJob() {
        at(fixture, running(withoutDir()))
                .when(new RequestControl(JOB, "savepoint", KEY, ANNOTATOR))
                .expectEvents(new ControlRejected(JOB, "savepoint", KEY, "no savepointsDir is set", ANNOTATOR));
        at(fixture, registered(plainSettings()))
                .when(new RequestControl(JOB, "savepoint", KEY, ANNOTATOR))
                .expectEvents(new ControlRejected(JOB, "savepoint", KEY, "the job is not running (state Pending)", ANNOTATOR));
    }

    @Test
    void aSavepointControlWaitsForNoOtherSavepoint() {
        at(fixture, concat(running(plainSettings()), triggered("t-9", TriggerReason.SCHEDULED, SCHEDULE, T0)))
                .when(new RequestControl(JOB, "savepoint", KEY, ANNOTATOR))
                .expectEvents(new ControlRejected(JOB, "savepoint", KEY, "savepoint t-9 is still in progress", ANNOTATOR));
    }

    @Test
    void jobCancelStopsTheJobWithASavepoint() {
        at(fixture, running(settings(60, RestartPolicy.NEVER)))
                .when(new RequestControl(JOB, "job-cancel", KEY, ANNOTATOR))
                .expectEvents(new ControlRequested(JOB, "id-1", ControlName.JOB_CANCEL, KEY, ANNOTATOR),
                        new SavepointTriggered(JOB, "id-2", FLINK_JOB, TriggerReason.JOB_CANCEL, DIR,
                                SavepointFormatType.CANONICAL, true, "id-1", ANNOTATOR, T0));
    }

    @Test
    void jobCancelEndsWithTheFinalSavepointAndTheJobCancelled() {
        at(fixture, concat(running(settings(60, RestartPolicy.NEVER)),
                        new ControlRequested(JOB, "c-1", ControlName.JOB_CANCEL, KEY, ANNOTATOR),
                        controlSavepoint("t-1", "c-1", TriggerReason.JOB_CANCEL)))
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(completed("t-1", TriggerReason.JOB_CANCEL, 1, T0, T0),
                        new JobCancelled(JOB, FLINK_JOB, location("t-1")),
                        new ControlSucceeded(JOB, "c-1", ControlName.JOB_CANCEL, FLINK_JOB, "t-1", location("t-1")))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aJobSeenEndedBeforeItsFinalSavepointIsReportedWaitsForTheSavepoint() {
        Object[] stopping = concat(running(settings(60, RestartPolicy.NEVER)),
                new ControlRequested(JOB, "c-1", ControlName.JOB_CANCEL, KEY, ANNOTATOR),
                controlSavepoint("t-1", "c-1", TriggerReason.JOB_CANCEL));
        at(fixture, stopping)
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FINISHED, null))
                .expectNoEvents();
        at(fixture, stopping)
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.FINISHED, null))
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(completed("t-1", TriggerReason.JOB_CANCEL, 1, T0, T0),
                        new JobCancelled(JOB, FLINK_JOB, location("t-1")),
                        new ControlSucceeded(JOB, "c-1", ControlName.JOB_CANCEL, FLINK_JOB, "t-1", location("t-1")));
    }

    @Test
    void jobCancelWithoutSavepointsDirCancelsTheJobWithoutSavepoint() {
        at(fixture, running(withoutDir()))
                .when(new RequestControl(JOB, "job-cancel", KEY, ANNOTATOR))
                .expectEvents(new ControlRequested(JOB, "id-1", ControlName.JOB_CANCEL, KEY, ANNOTATOR),
                        new JobCancelRequested(JOB, FLINK_JOB, "id-1"));
        at(fixture, concat(running(withoutDir()),
                        new ControlRequested(JOB, "c-1", ControlName.JOB_CANCEL, KEY, ANNOTATOR),
                        new JobCancelRequested(JOB, FLINK_JOB, "c-1")))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.CANCELLED, null))
                .expectEvents(new JobCancelled(JOB, FLINK_JOB, null),
                        new ControlSucceeded(JOB, "c-1", ControlName.JOB_CANCEL, FLINK_JOB, null, null));
    }

    @Test
    void aJobCancelFlinkRefusesForGoodEndsTheControlAsFailedOnce() {
        at(fixture, concat(running(withoutDir()),
                        new ControlRequested(JOB, "c-1", ControlName.JOB_CANCEL, KEY, ANNOTATOR),
                        new JobCancelRequested(JOB, FLINK_JOB, "c-1")))
                .when(new FailJobCancel(JOB, "c-1", "500 Internal Server Error"))
                .expectEvents(new ControlFailed(JOB, "c-1", ControlName.JOB_CANCEL, FLINK_JOB, null,
                        "Flink did not cancel the job: 500 Internal Server Error"));
        at(fixture, concat(running(withoutDir()),
                        new ControlRequested(JOB, "c-1", ControlName.JOB_CANCEL, KEY, ANNOTATOR),
                        new JobCancelRequested(JOB, FLINK_JOB, "c-1"),
                        new ControlFailed(JOB, "c-1", ControlName.JOB_CANCEL, FLINK_JOB, null, "refused")))
                .when(new FailJobCancel(JOB, "c-1", "refused again"))
                .expectNoEvents();
    }

    @Test
    void jobCancelOfAJobThatIsNotRunningIsRejected() {
        at(fixture, concat(running(plainSettings()), new JobFailed(JOB, FLINK_JOB, "boom")))
                .when(new RequestControl(JOB, "job-cancel", KEY, ANNOTATOR))
                .expectEvents(new ControlRejected(JOB, "job-cancel", KEY, "the job is not running (state Failed)", ANNOTATOR));
    }

    @Test
    void jobCancelWaitsForTheSavepointInFlight() {
        at(fixture, concat(running(plainSettings()), triggered("t-9", TriggerReason.SCHEDULED, SCHEDULE, T0)))
                .when(new RequestControl(JOB, "job-cancel", KEY, ANNOTATOR))
                .expectEvents(new ControlRejected(JOB, "job-cancel", KEY,
                        "savepoint t-9 is still in progress; cancel the job after it", ANNOTATOR));
    }

    @Test
    void aControlOfAJobThatFailsMeanwhileFails() {
        at(fixture, savepointControlInProgress())
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, "java.lang.RuntimeException: boom"))
                .expectEvents(new JobFailed(JOB, FLINK_JOB, "java.lang.RuntimeException: boom"),
                        new ControlFailed(JOB, "c-1", ControlName.SAVEPOINT, FLINK_JOB, "t-1",
                                "the job ended (Failed): java.lang.RuntimeException: boom"));
    }

    @Test
    void aLateCompletionAfterTheControlFailedDoesNotRewriteTheControl() {
        at(fixture, concat(savepointControlInProgress(),
                        new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.USER_CONTROL, "timed out", true, T0, T0),
                        new ControlFailed(JOB, "c-1", ControlName.SAVEPOINT, FLINK_JOB, "t-1", "savepoint timed out: timed out")))
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(new SavepointCompleted(JOB, "t-1", FLINK_JOB, TriggerReason.USER_CONTROL, 1L, location("t-1"),
                        T0, T0, true));
    }
}

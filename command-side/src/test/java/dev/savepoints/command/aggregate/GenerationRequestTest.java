package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;

import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointAbandoned;
import dev.savepoints.command.api.SavepointDeferred;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import java.time.Duration;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** savepointGeneration = status + 1 as a standing request: taken as soon as it can be, once; retried, then given up. */
class GenerationRequestTest {

    private static final TriggerReason BUMP = TriggerReason.GENERATION_BUMP;
    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static TriggerSavepoint bump(long generation) {
        return new TriggerSavepoint(JOB, BUMP, generation, KUBECTL);
    }

    private static Object[] deploying() {
        return new Object[] {registered(plainSettings()), new JobSubmitted(JOB, FLINK_JOB, null)};
    }

    @Test
    void aBumpMadeWhileTheJobDeploysWaitsAndIsTakenOnceItRuns() {
        String why = "the job is not running (state Deploying)";
        at(fixture, deploying())
                .when(bump(1))
                .expectEvents(new SavepointDeferred(JOB, BUMP, why, KUBECTL, T0, 1L))
                .expectResultMessagePayload(Decision.waiting(why));
        at(fixture, concat(deploying(), new SavepointDeferred(JOB, BUMP, why, KUBECTL, T0, 1L)))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .expectEvents(new dev.savepoints.command.api.JobStateChanged(JOB, FLINK_JOB, JobState.DEPLOYING,
                        JobState.RUNNING), triggered("id-1", BUMP, KUBECTL, T0));
    }

    @Test
    void aBumpMadeWhileASavepointIsInFlightIsTakenAfterIt() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0)))
                .when(bump(1))
                .expectEvents(new SavepointDeferred(JOB, BUMP, "savepoint t-1 is still in progress", KUBECTL, T0, 1L));
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0),
                new SavepointDeferred(JOB, BUMP, "savepoint t-1 is still in progress", KUBECTL, T0, 1L)))
                .when(new FailSavepoint(JOB, "t-1", "declined", false))
                .expectEvents(new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.SCHEDULED, "declined", false, T0, T0),
                        triggered("id-1", BUMP, KUBECTL, T0));
    }

    @Test
    void aSavepointThatReachesTheGenerationServesTheWaitingBump() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0),
                new SavepointDeferred(JOB, BUMP, "savepoint t-1 is still in progress", KUBECTL, T0, 1L)))
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0));
    }

    @Test
    void aBumpMadeWhileAControlRunsWaitsForIt() {
        at(fixture, concat(running(plainSettings()),
                new ControlRequested(JOB, "c-1", ControlName.JOB_CANCEL, "k", ANNOTATOR)))
                .when(bump(1))
                .expectEvents(new SavepointDeferred(JOB, BUMP, "a control is in progress", KUBECTL, T0, 1L));
    }

    @Test
    void aStandingBumpIsNotAskedTwice() {
        at(fixture, concat(deploying(), new SavepointDeferred(JOB, BUMP, "w", KUBECTL, T0, 1L)))
                .when(bump(1))
                .expectNoEvents()
                .expectResultMessagePayload(Decision.duplicate(null, "savepointGeneration 1 stands"));
    }

    @Test
    void anyOtherValueThanStatusPlusOneIsStillRefused() {
        at(fixture, deploying())
                .when(bump(2))
                .expectEvents(new SavepointRejected(JOB, BUMP, 2L,
                        "savepointGeneration may only be set to status + 1 (1), was 2", KUBECTL));
    }

    @Test
    void aFailedBumpIsRetriedAfterABackoffThenGivenUp() {
        Duration first = POLICY.requestRetries().delay(1);
        at(fixture, concat(running(plainSettings()), triggered("t-1", BUMP, KUBECTL, T0)))
                .when(new FailSavepoint(JOB, "t-1", "disk full", false))
                .expectEvents(new SavepointFailed(JOB, "t-1", FLINK_JOB, BUMP, "disk full", false, T0, T0),
                        new SavepointDeferred(JOB, BUMP, "attempt 1 of 3 failed (savepoint failed: disk full); trying again at "
                                + T0.plus(first), KUBECTL, T0.plus(first), 1L))
                .expectScheduledDeadlineWithName(first, FlinkJob.GENERATION_RETRY);

        at(newFixture(), concat(running(plainSettings()), triggered("t-1", BUMP, KUBECTL, T0)))
                .andGivenCommands(new FailSavepoint(JOB, "t-1", "disk full", false))
                .whenTimeElapses(first)
                .expectEvents(triggered("id-1", BUMP, KUBECTL, T0.plus(first)));

        at(newFixture(), concat(running(plainSettings()),
                triggered("t-1", BUMP, KUBECTL, T0), failed("t-1"),
                triggered("t-2", BUMP, KUBECTL, T0), failed("t-2"),
                triggered("t-3", BUMP, KUBECTL, T0)))
                .when(new FailSavepoint(JOB, "t-3", "disk full", false))
                .expectEvents(new SavepointFailed(JOB, "t-3", FLINK_JOB, BUMP, "disk full", false, T0, T0),
                        new SavepointAbandoned(JOB, BUMP, 1L, 3, "savepoint failed: disk full"));
    }

    @Test
    void aGivenUpBumpIsAskedAgainAfterASpecChange() {
        Object[] abandoned = concat(running(plainSettings()), triggered("t-1", BUMP, KUBECTL, T0), failed("t-1"),
                new SavepointAbandoned(JOB, BUMP, 1L, 3, "disk full"));
        at(fixture, abandoned)
                .when(bump(1))
                .expectNoEvents();
        JobSettings corrected = settings(60, RestartPolicy.NEVER);
        at(fixture, concat(abandoned, new JobSettingsChanged(JOB, corrected, KUBECTL)))
                .when(bump(1))
                .expectEvents(triggered("id-1", BUMP, KUBECTL, T0));
    }

    @Test
    void aBumpRefusedForWantOfASavepointsDirIsTakenOnceTheSpecHasOne() {
        JobSettings noDir = withoutDir();
        Object[] refused = concat(new Object[] {registered(noDir), new JobSubmitted(JOB, FLINK_JOB, null),
                        new dev.savepoints.command.api.JobStateChanged(JOB, FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING)},
                new SavepointRejected(JOB, BUMP, 1L, "no savepointsDir is set", KUBECTL));
        at(fixture, refused)
                .when(bump(1))
                .expectNoEvents();
        at(fixture, refused)
                .andGivenCommands(new ChangeJobSettings(JOB, plainSettings(), KUBECTL))
                .when(bump(1))
                .expectEvents(triggered("id-1", BUMP, KUBECTL, T0));
    }

    private static SavepointFailed failed(String triggerId) {
        return new SavepointFailed(JOB, triggerId, FLINK_JOB, BUMP, "disk full", false, T0, T0);
    }
}

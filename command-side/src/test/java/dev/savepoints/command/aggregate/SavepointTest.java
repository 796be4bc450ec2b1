package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.command.api.status.LatestSavepoint;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SavepointTest {

    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    // ---- triggering ----

    @Test
    void aRunningJobWithASavepointsDirGetsASavepointWithATriggerIdChosenHere() {
        at(fixture, running(plainSettings()))
                .when(new TriggerSavepoint(JOB, TriggerReason.REST, null, REST_USER))
                .expectEvents(triggered("id-1", TriggerReason.REST, REST_USER, T0))
                .expectResultMessagePayload(Decision.accepted("id-1"));
    }

    @Test
    void noSavepointWithoutASavepointsDir() {
        at(fixture, running(withoutDir()))
                .when(new TriggerSavepoint(JOB, TriggerReason.REST, null, REST_USER))
                .expectEvents(new SavepointRejected(JOB, TriggerReason.REST, null, "no savepointsDir is set", REST_USER))
                .expectResultMessagePayload(Decision.rejected("no savepointsDir is set"));
    }

    @Test
    void noSavepointOfAJobThatIsNotRunning() {
        at(fixture, registered(plainSettings()))
                .when(new TriggerSavepoint(JOB, TriggerReason.REST, null, REST_USER))
                .expectEvents(new SavepointRejected(JOB, TriggerReason.REST, null, "the job is not running (state Pending)",
                        REST_USER));
    }

    @Test
    void atMostOneSavepointInFlight() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0)))
                .when(new TriggerSavepoint(JOB, TriggerReason.REST, null, REST_USER))
                .expectEvents(new SavepointRejected(JOB, TriggerReason.REST, null, "savepoint t-1 is still in progress",
                        REST_USER));
    }

    @Test
    void aGenerationBumpToStatusPlusOneTakesASavepoint() {
        at(fixture, concat(running(plainSettings()),
                        triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0),
                        completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0)))
                .when(new TriggerSavepoint(JOB, TriggerReason.GENERATION_BUMP, 2L, KUBECTL))
                .expectEvents(triggered("id-1", TriggerReason.GENERATION_BUMP, KUBECTL, T0));
    }

    @Test
    void aGenerationMayOnlyGoUpByOne() {
        at(fixture, running(plainSettings()))
                .when(new TriggerSavepoint(JOB, TriggerReason.GENERATION_BUMP, 3L, KUBECTL))
                .expectEvents(new SavepointRejected(JOB, TriggerReason.GENERATION_BUMP, 3L,
                        "savepointGeneration may only be set to status + 1 (1), was 3", KUBECTL));
    }

    @Test
    void aRejectedGenerationIsNotRejectedAgainOnEveryResync() {
        at(fixture, concat(running(plainSettings()), new SavepointRejected(JOB, TriggerReason.GENERATION_BUMP, 3L,
                        "savepointGeneration may only be set to status + 1 (1), was 3", KUBECTL)))
                .when(new TriggerSavepoint(JOB, TriggerReason.GENERATION_BUMP, 3L, KUBECTL))
                .expectNoEvents()
                .expectResultMessagePayload(Decision.duplicate(null, "savepointGeneration 3 was already decided"));
    }

    @Test
    void aGenerationAlreadyInFlightOrReachedIsNotTriggeredTwice() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.GENERATION_BUMP, KUBECTL, T0)))
                .when(new TriggerSavepoint(JOB, TriggerReason.GENERATION_BUMP, 1L, KUBECTL))
                .expectNoEvents();
        at(fixture, concat(running(plainSettings()),
                        triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0),
                        completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0)))
                .when(new TriggerSavepoint(JOB, TriggerReason.GENERATION_BUMP, 1L, KUBECTL))
                .expectNoEvents();
    }

    @Test
    void aGenerationBumpNeedsTheRequestedGeneration() {
        at(fixture, running(plainSettings()))
                .when(new TriggerSavepoint(JOB, TriggerReason.GENERATION_BUMP, null, KUBECTL))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void scheduledAndControlSavepointsAreNotRequestedDirectly() {
        at(fixture, running(plainSettings()))
                .when(new TriggerSavepoint(JOB, TriggerReason.SCHEDULED, null, REST_USER))
                .expectException(IllegalArgumentException.class);
        at(fixture, running(plainSettings()))
                .when(new TriggerSavepoint(JOB, TriggerReason.JOB_CANCEL, null, REST_USER))
                .expectException(IllegalArgumentException.class);
    }

    // ---- results ----

    @Test
    void aCompletedSavepointRaisesTheGenerationAndBecomesTheLatest() {
        Instant done = T0.plusSeconds(2);
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0.minusSeconds(3))))
                .andGivenCurrentTime(done)
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(completed("t-1", TriggerReason.REST, 1, T0.minusSeconds(3), done))
                .expectState(job -> assertThat(job).extracting("savepoints.generation", "savepoints.latest")
                        .containsExactly(1L, new LatestSavepoint("t-1", location("t-1"), done)));
    }

    @Test
    void theNextSavepointIsTheNextGeneration() {
        at(fixture, concat(running(plainSettings()),
                        triggered("t-1", TriggerReason.REST, REST_USER, T0), completed("t-1", TriggerReason.REST, 1, T0, T0),
                        triggered("t-2", TriggerReason.REST, REST_USER, T0)))
                .when(new CompleteSavepoint(JOB, "t-2", location("t-2")))
                .expectEvents(completed("t-2", TriggerReason.REST, 2, T0, T0));
    }

    @Test
    void aRepeatedCompletionIsRecordedOnce() {
        at(fixture, concat(running(plainSettings()),
                        triggered("t-1", TriggerReason.REST, REST_USER, T0), completed("t-1", TriggerReason.REST, 1, T0, T0)))
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectNoEvents();
    }

    @Test
    void aResultForATriggerNeverDecidedIsRefused() {
        at(fixture, running(plainSettings()))
                .when(new CompleteSavepoint(JOB, "not-ours", "/tmp/x"))
                .expectException(UnknownSavepointException.class)
                .expectExceptionMessage("job default/flinkjobcluster-sample has no savepoint with trigger id not-ours");
        at(fixture, running(plainSettings()))
                .when(new FailSavepoint(JOB, "not-ours", "boom", false))
                .expectException(UnknownSavepointException.class);
    }

    @Test
    void aCompletionNeedsALocation() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0)))
                .when(new CompleteSavepoint(JOB, "t-1", " "))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void aFailureKeepsFlinksCause() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0)))
                .when(new FailSavepoint(JOB, "t-1", "java.io.IOException: Permission denied", false))
                .expectEvents(new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.REST,
                        "java.io.IOException: Permission denied", false, T0, T0))
                .expectState(job -> assertThat(job).extracting("savepoints.generation").isEqualTo(0L));
    }

    @Test
    void aTimedOutSavepointThatFlinkTookIsWatchedUntilTheGivenTime() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0)))
                .when(new FailSavepoint(JOB, "t-1", "not completed within PT10M", true, T0.plusSeconds(600)))
                .expectEvents(new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.REST, "not completed within PT10M",
                        true, T0, T0, T0.plusSeconds(600)));
    }

    @Test
    void aTimeoutIsAFailure() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0)))
                .when(new FailSavepoint(JOB, "t-1", "not completed within PT10M", true))
                .expectEvents(new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.REST, "not completed within PT10M",
                        true, T0, T0));
    }

    @Test
    void aLateCompletionOfATimedOutSavepointIsRecordedTruthfully() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0),
                        new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.REST, "timed out", true, T0, T0)))
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(new SavepointCompleted(JOB, "t-1", FLINK_JOB, TriggerReason.REST, 1L, location("t-1"), T0, T0, true))
                .expectState(job -> assertThat(job).extracting("savepoints.latest.location").isEqualTo(location("t-1")));
    }

    @Test
    void aCompletedSavepointIsNeverTurnedIntoAFailure() {
        at(fixture, concat(running(plainSettings()),
                        triggered("t-1", TriggerReason.REST, REST_USER, T0), completed("t-1", TriggerReason.REST, 1, T0, T0)))
                .when(new FailSavepoint(JOB, "t-1", "timed out", true))
                .expectNoEvents();
    }

    @Test
    void aLateCompletionDoesNotReplaceANewerSavepoint() {
        Instant newer = T0.plusSeconds(60);
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0),
                        new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.REST, "timed out", true, T0, T0),
                        triggered("t-2", TriggerReason.REST, REST_USER, T0),
                        completed("t-2", TriggerReason.REST, 1, T0, newer)))
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(new SavepointCompleted(JOB, "t-1", FLINK_JOB, TriggerReason.REST, 2L, location("t-1"), T0, T0, true))
                .expectState(job -> assertThat(job).extracting("savepoints.latest.location").isEqualTo(location("t-2")));
    }

    @Test
    void aSavepointCanBeTakenAgainAfterTheLastOneEnded() {
        JobSettings settings = plainSettings();
        at(fixture, concat(running(settings), triggered("t-1", TriggerReason.REST, REST_USER, T0),
                        new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.REST, "boom", false, T0, T0)))
                .when(new TriggerSavepoint(JOB, TriggerReason.REST, null, REST_USER))
                .expectEvents(triggered("id-1", TriggerReason.REST, REST_USER, T0));
    }

    // ---- savepoints taken outside the service ----

    private static final String EXTERNAL_LOCATION = "gs://my-bucket/savepoints/savepoint-c0c55c-cli";

    @Test
    void aSavepointTakenWithTheFlinkCliIsRecordedAsExternalAndCounts() {
        at(fixture, running(plainSettings()))
                .when(new dev.savepoints.command.api.RecordExternalSavepoint(JOB, FLINK_JOB, 7, EXTERNAL_LOCATION,
                        T0.minusSeconds(2), T0.minusSeconds(1)))
                .expectEvents(new SavepointCompleted(JOB, "external-" + FLINK_JOB + "-7", FLINK_JOB, TriggerReason.EXTERNAL,
                        1L, EXTERNAL_LOCATION, T0.minusSeconds(2), T0.minusSeconds(1), false))
                .expectState(job -> assertThat(job).extracting("savepoints.latest.location").isEqualTo(EXTERNAL_LOCATION));
    }

    @Test
    void anExternalSavepointIsRecordedOnce() {
        at(fixture, running(plainSettings()))
                .andGivenCommands(new dev.savepoints.command.api.RecordExternalSavepoint(JOB, FLINK_JOB, 7, EXTERNAL_LOCATION,
                        T0, T0))
                .when(new dev.savepoints.command.api.RecordExternalSavepoint(JOB, FLINK_JOB, 7, EXTERNAL_LOCATION, T0, T0))
                .expectNoEvents();
    }

    @Test
    void theServicesOwnSavepointInFlinksHistoryIsNotRecordedAgain() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0),
                        completed("t-1", TriggerReason.REST, 1, T0, T0)))
                .when(new dev.savepoints.command.api.RecordExternalSavepoint(JOB, FLINK_JOB, 3, location("t-1"), T0, T0))
                .expectNoEvents();
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0)))
                .when(new dev.savepoints.command.api.RecordExternalSavepoint(JOB, FLINK_JOB, 3, location("t-1"), T0, T0))
                .expectNoEvents()
                .expectResultMessagePayload(false);
    }

    @Test
    void aSavepointInFlinksHistoryWhileATimedOutOneIsStillWatchedIsLeftForItsOwnReport() {
        // Flink completed the timed-out savepoint; the observer saw it before the saga did. Recorded as external, it
        // would be counted twice once the saga reports the late completion.
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0),
                        new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.REST, "timed out", true, T0, T0,
                                T0.plusSeconds(600))))
                .when(new dev.savepoints.command.api.RecordExternalSavepoint(JOB, FLINK_JOB, 3, location("t-1"), T0, T0))
                .expectNoEvents()
                .expectResultMessagePayload(false);
    }

    @Test
    void aSavepointInFlinksHistoryAfterTheLateWatchEndedIsRecordedAsExternal() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0.minusSeconds(900)),
                        new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.REST, "timed out", true,
                                T0.minusSeconds(900), T0.minusSeconds(300), T0.minusSeconds(1))))
                .when(new dev.savepoints.command.api.RecordExternalSavepoint(JOB, FLINK_JOB, 3, EXTERNAL_LOCATION, T0, T0))
                .expectEvents(new SavepointCompleted(JOB, "external-" + FLINK_JOB + "-3", FLINK_JOB, TriggerReason.EXTERNAL,
                        1L, EXTERNAL_LOCATION, T0, T0, false))
                .expectResultMessagePayload(true);
    }

    @Test
    void aTimedOutSavepointFlinkNeverTookIsNotWaitedFor() {
        at(fixture, concat(running(plainSettings()), triggered("t-1", TriggerReason.REST, REST_USER, T0),
                        new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.REST, "timed out", true, T0, T0)))
                .when(new dev.savepoints.command.api.RecordExternalSavepoint(JOB, FLINK_JOB, 3, EXTERNAL_LOCATION, T0, T0))
                .expectEvents(new SavepointCompleted(JOB, "external-" + FLINK_JOB + "-3", FLINK_JOB, TriggerReason.EXTERNAL,
                        1L, EXTERNAL_LOCATION, T0, T0, false));
    }

    @Test
    void anExternalSavepointOfAnotherFlinkJobIsNotOurs() {
        at(fixture, running(plainSettings()))
                .when(new dev.savepoints.command.api.RecordExternalSavepoint(JOB, "0123456789abcdef0123456789abcdef", 7,
                        EXTERNAL_LOCATION, T0, T0))
                .expectNoEvents();
    }
}

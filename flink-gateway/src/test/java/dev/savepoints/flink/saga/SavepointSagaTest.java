package dev.savepoints.flink.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.flink.FlinkGatewayProperties;
import dev.savepoints.flink.metrics.SavepointCallMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.savepoints.flink.rest.SavepointStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

class SavepointSagaTest {

    private static final JobId JOB = JobId.of("default", "flinkjobcluster-sample");
    private static final String FLINK_JOB = "c0c55ce62eba6ab41b6bb9288ef79c12";
    private static final String TRIGGER = "21db90b88ce7a6e201032d9f764cdd64";
    private static final String LOCATION = "gs://my-bucket/savepoints/savepoint-c0c55c-75ed63ba63b2";
    private static final FlinkGatewayProperties PROPERTIES = FlinkGatewayProperties.defaults();
    private static final Instant AT = Instant.parse("2026-11-20T02:10:19Z");

    private SagaTestFixture<SavepointSaga> fixture;
    private ScriptedFlinkGateway flink;
    private SimpleMeterRegistry meters;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(SavepointSaga.class);
        flink = new ScriptedFlinkGateway();
        fixture.registerResource(flink);
        fixture.registerResource(PROPERTIES);
        // the in-memory polls are tested on their own (SavepointWatcherTest): here every poll is the saga's
        fixture.registerResource(SavepointWatcherTest.off(flink));
        fixture.registerResource(new LeftoverDeadlines(Runnable::run, (task, delay) -> task.run(), Duration.ZERO, 1));
        meters = new SimpleMeterRegistry();
        fixture.registerResource(new SavepointCallMetrics(meters, new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return fixture.currentTime();
            }
        }));
    }

    private Timer triggerLatency(String reason) {
        return meters.find("savepoint_trigger_latency").tag("reason", reason).timer();
    }

    @Test
    void theTimeFromDecisionToFlinksAcknowledgementIsMeasuredOnce() {
        flink.onTrigger(ScriptedFlinkGateway.unavailable());
        flink.onStatus(ScriptedFlinkGateway.notFound(), SavepointStatus.completed(LOCATION));
        fixture.givenCurrentTime(AT.plusMillis(250))
                .whenPublishingA(triggered(false))
                .expectNoDispatchedCommands();
        assertThat(triggerLatency("rest")).as("not acknowledged yet").isNull();

        fixture.whenTimeElapses(PROPERTIES.retryInitial()).expectNoDispatchedCommands();
        assertThat(triggerLatency("rest").count()).isEqualTo(1);
        assertThat(triggerLatency("rest").totalTime(TimeUnit.MILLISECONDS))
                .as("from the decision to the retry that Flink took").isEqualTo(250 + PROPERTIES.retryInitial().toMillis());

        fixture.whenTimeElapses(Duration.ofSeconds(3)).expectDispatchedCommands(new CompleteSavepoint(JOB, TRIGGER, LOCATION));
        assertThat(flink.calls).containsExactly("trigger " + TRIGGER, "trigger " + TRIGGER, "status " + TRIGGER,
                "trigger " + TRIGGER, "status " + TRIGGER);
        assertThat(triggerLatency("rest").count()).as("a trigger repeated for a forgetful Flink is one request").isEqualTo(1);
    }

    private static SavepointTriggered triggered(boolean stopJob) {
        return new SavepointTriggered(JOB, TRIGGER, FLINK_JOB, stopJob ? TriggerReason.JOB_CANCEL : TriggerReason.REST,
                "gs://my-bucket/savepoints/", SavepointFormatType.CANONICAL, stopJob, null,
                new RequestedBy("alice", Source.REST, null), AT);
    }

    @Test
    void aTriggeredSavepointIsStartedOnFlinkWithItsTriggerIdAndPolled() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(triggered(false))
                .expectActiveSagas(1)
                .expectAssociationWith(SavepointSaga.TRIGGER_ID, TRIGGER)
                .expectScheduledDeadlineWithName(PROPERTIES.pollInitial(), SavepointSaga.POLL)
                .expectScheduledDeadlineWithName(PROPERTIES.savepointTimeout(), SavepointSaga.TIMEOUT)
                .expectNoDispatchedCommands();
        assertThat(flink.calls).containsExactly("trigger " + TRIGGER);
    }

    @Test
    void jobCancelStopsTheJobWithTheSavepoint() {
        fixture.givenNoPriorActivity().whenPublishingA(triggered(true)).expectActiveSagas(1);
        assertThat(flink.calls).containsExactly("stop " + TRIGGER);
    }

    @Test
    void aCompletedSavepointIsReportedWithItsLocation() {
        flink.onStatus(SavepointStatus.inProgress(), SavepointStatus.completed(LOCATION));
        fixture.givenAPublished(triggered(false))
                .whenTimeElapses(Duration.ofSeconds(2))
                .expectDispatchedCommands(new CompleteSavepoint(JOB, TRIGGER, LOCATION));
        assertThat(flink.calls).containsExactly("trigger " + TRIGGER, "status " + TRIGGER, "status " + TRIGGER);
    }

    @Test
    void aFailedSavepointIsReportedWithFlinksCause() {
        flink.onStatus(SavepointStatus.failed("java.io.IOException: Mkdirs failed"));
        fixture.givenAPublished(triggered(false))
                .whenTimeElapses(Duration.ofSeconds(1))
                .expectDispatchedCommands(new FailSavepoint(JOB, TRIGGER, "java.io.IOException: Mkdirs failed", false));
    }

    @Test
    void aJobManagerElectingItsLeaderIsAskedAgainWithTheSameTriggerId() {
        flink.onTrigger(ScriptedFlinkGateway.unavailable(), ScriptedFlinkGateway.unavailable());
        fixture.givenNoPriorActivity()
                .whenPublishingA(triggered(false))
                .expectScheduledDeadlineWithName(PROPERTIES.retryInitial(), SavepointSaga.CALL)
                .expectNoDispatchedCommands();
        fixture.whenTimeElapses(Duration.ofSeconds(3))
                .expectScheduledDeadlineWithName(PROPERTIES.pollInitial(), SavepointSaga.POLL)
                .expectNoDispatchedCommands();
        assertThat(flink.calls).containsExactly("trigger " + TRIGGER, "trigger " + TRIGGER, "trigger " + TRIGGER);
    }

    @Test
    void aJobManagerAwayUntilTheTimeoutIsNamedInTheFailure() {
        for (int i = 0; i < 40; i++) {
            flink.onTrigger(ScriptedFlinkGateway.unavailable());
        }
        fixture.givenAPublished(triggered(false))
                .whenTimeElapses(PROPERTIES.savepointTimeout())
                .expectDispatchedCommands(new FailSavepoint(JOB, TRIGGER, "not completed within PT10M; last Flink error: "
                        + "POST /jobs/x/savepoints answered 503: Service temporarily unavailable due to an ongoing leader election",
                        true));
    }

    @Test
    void aTriggerFlinkNeverTookIsNotSentAfterTheTimeout() {
        for (int i = 0; i < 60; i++) {
            flink.onTrigger(ScriptedFlinkGateway.unavailable());
        }
        fixture.givenAPublished(triggered(false))
                .whenTimeElapses(PROPERTIES.savepointTimeout())
                .expectDispatchedCommands(new FailSavepoint(JOB, TRIGGER, "not completed within PT10M; last Flink error: "
                        + "POST /jobs/x/savepoints answered 503: Service temporarily unavailable due to an ongoing leader election",
                        true))
                .expectActiveSagas(0);
        int callsUntilTimeout = flink.calls.size();
        fixture.whenTimeElapses(Duration.ofMinutes(30)).expectNoScheduledDeadlines();
        assertThat(flink.calls).as("no trigger after the timeout: it would run beside the job's next savepoint")
                .hasSize(callsUntilTimeout);
    }

    @Test
    void theSagaAsksEverySecondAtFirstAndSeldomWhenASavepointRunsLong() {
        // The watcher asks every few milliseconds at first; the saga's persisted polls, what a restart resumes, ask
        // every poll-initial and then after a quarter of the time taken so far, so a long savepoint costs few calls.
        fixture.givenCurrentTime(AT).andThenAPublished(triggered(false)).whenTimeElapses(Duration.ofSeconds(10));
        long early = flink.calls.stream().filter(c -> c.startsWith("status")).count();
        fixture.whenTimeElapses(Duration.ofMinutes(10).minusSeconds(10));
        long overall = flink.calls.stream().filter(c -> c.startsWith("status")).count();
        assertThat(early).as("questions in the first ten seconds: at 1, 2, 3, 4, 5, 6.25, 7.8 and 9.8 s").isEqualTo(8);
        assertThat(overall).as("questions in ten minutes").isLessThan(150);
    }

    @Test
    void aSavepointFlinkRefusesIsFailedAtOnce() {
        flink.onTrigger(ScriptedFlinkGateway.rejected("POST /jobs/x/savepoints answered 400: Job is not running"));
        fixture.givenNoPriorActivity()
                .whenPublishingA(triggered(false))
                .expectDispatchedCommands(new FailSavepoint(JOB, TRIGGER,
                        "Flink refused the savepoint: POST /jobs/x/savepoints answered 400: Job is not running", false));
    }

    @Test
    void aTriggerFlinkForgotIsTriggeredAgainUnderTheSameId() {
        flink.onStatus(ScriptedFlinkGateway.notFound(), SavepointStatus.completed(LOCATION));
        fixture.givenAPublished(triggered(false))
                .whenTimeElapses(Duration.ofSeconds(2))
                .expectDispatchedCommands(new CompleteSavepoint(JOB, TRIGGER, LOCATION));
        assertThat(flink.calls).containsExactly("trigger " + TRIGGER, "status " + TRIGGER, "trigger " + TRIGGER,
                "status " + TRIGGER);
    }

    @Test
    void aSavepointThatTakesTooLongIsFailedAsTimedOut() {
        Instant due = AT.plus(PROPERTIES.savepointTimeout());
        fixture.givenCurrentTime(AT)
                .andThenAPublished(triggered(false))
                .whenTimeElapses(PROPERTIES.savepointTimeout())
                .expectDispatchedCommands(new FailSavepoint(JOB, TRIGGER, "not completed within PT10M", true,
                        due.plus(PROPERTIES.lateWatch()))) // Flink took it: it may still complete
                .expectScheduledDeadlineWithName(PROPERTIES.lateWatch(), SavepointSaga.LATE_WATCH_END);
    }

    @Test
    void aTimedOutSavepointThatCompletesLaterIsStillReported() throws Exception {
        fixture.givenAPublished(triggered(false))
                .andThenTimeElapses(PROPERTIES.savepointTimeout())
                .andThenAPublished(new SavepointFailed(JOB, TRIGGER, FLINK_JOB, TriggerReason.REST,
                        "not completed within PT10M", true, AT, AT.plusSeconds(600)));
        flink.onStatus(SavepointStatus.completed(LOCATION));
        fixture.whenTimeElapses(PROPERTIES.pollMax())
                .expectActiveSagas(1)
                .expectDispatchedCommands(new CompleteSavepoint(JOB, TRIGGER, LOCATION));
    }

    @Test
    void theSagaEndsWithTheRecordedResult() {
        fixture.givenAPublished(triggered(false))
                .whenPublishingA(new SavepointCompleted(JOB, TRIGGER, FLINK_JOB, TriggerReason.REST, 1L, LOCATION, AT,
                        AT.plusSeconds(1), false))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        fixture.givenAPublished(triggered(false))
                .whenPublishingA(new SavepointFailed(JOB, TRIGGER, FLINK_JOB, TriggerReason.REST, "boom", false, AT, AT))
                .expectActiveSagas(0);
    }

    private static SavepointTriggered triggeredByControl() {
        return new SavepointTriggered(JOB, TRIGGER, FLINK_JOB, TriggerReason.USER_CONTROL, "gs://my-bucket/savepoints/",
                SavepointFormatType.CANONICAL, false, "c-1", new RequestedBy("alice", Source.KUBERNETES_ANNOTATION, null), AT);
    }

    private static JobDeregistered deregistered() {
        return new JobDeregistered(JOB, "uid", "the FlinkCluster was deleted",
                new RequestedBy("kubectl", Source.KUBERNETES_SPEC, null));
    }

    @Test
    void aDeregisteredJobEndsTheSagaAndItsSavepointInFlightIsFailedSoNothingWaitsForIt() {
        fixture.givenAPublished(triggered(false))
                .whenPublishingA(deregistered())
                .expectDispatchedCommands(new FailSavepoint(JOB, TRIGGER,
                        "the job was deregistered: the FlinkCluster was deleted", false))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        fixture.whenTimeElapses(Duration.ofMinutes(30));
        assertThat(flink.calls).as("Flink is asked no more").containsExactly("trigger " + TRIGGER);
    }

    @Test
    void aControlThatFailedOtherwiseEndsTheSagaWithItsCause() {
        fixture.givenAPublished(triggeredByControl())
                .whenPublishingA(new ControlFailed(JOB, "c-1", ControlName.SAVEPOINT, FLINK_JOB, TRIGGER,
                        "the job ended (Failed): java.lang.RuntimeException: boom"))
                .expectDispatchedCommands(new FailSavepoint(JOB, TRIGGER,
                        "the job ended (Failed): java.lang.RuntimeException: boom", false))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void theControlFailedByTheTimeoutKeepsTheLateWatchUntilTheJobIsDeregistered() throws Exception {
        fixture.givenAPublished(triggeredByControl())
                .andThenTimeElapses(PROPERTIES.savepointTimeout())
                .andThenAPublished(new SavepointFailed(JOB, TRIGGER, FLINK_JOB, TriggerReason.USER_CONTROL,
                        "not completed within PT10M", true, AT, AT.plusSeconds(600)))
                .whenPublishingA(new ControlFailed(JOB, "c-1", ControlName.SAVEPOINT, FLINK_JOB, TRIGGER,
                        "savepoint timed out: not completed within PT10M"))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(PROPERTIES.lateWatch(), SavepointSaga.LATE_WATCH_END);
        fixture.whenPublishingA(deregistered())
                .expectNoDispatchedCommands() // failed already
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aResultTheJobRefusesEndsTheSaga() {
        fixture.setCallbackBehavior((command, metaData) -> {
            throw new IllegalArgumentException("job " + JOB + " has no savepoint with trigger id " + TRIGGER); // the job's answer
        });
        flink.onStatus(SavepointStatus.completed(LOCATION));
        fixture.givenAPublished(triggered(false))
                .whenTimeElapses(PROPERTIES.pollInitial())
                .expectDispatchedCommands(new CompleteSavepoint(JOB, TRIGGER, LOCATION))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aFailureOfAnAbandonedSavepointThatDoesNotGetThroughIsSentAgain() {
        AtomicInteger outages = new AtomicInteger(1);
        fixture.setCallbackBehavior((command, metaData) -> {
            if (outages.getAndDecrement() > 0) {
                throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction");
            }
            return null;
        });
        FailSavepoint failed = new FailSavepoint(JOB, TRIGGER, "the job was deregistered: the FlinkCluster was deleted", false);
        fixture.givenAPublished(triggered(false))
                .whenPublishingA(deregistered())
                .expectDispatchedCommands(failed)
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(PROPERTIES.retries().delay(1), SavepointSaga.REPORT);
        fixture.whenTimeElapses(PROPERTIES.retries().delay(1))
                .expectDispatchedCommands(failed)
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        assertThat(flink.calls).as("the polls still scheduled asked Flink nothing").containsExactly("trigger " + TRIGGER);
    }

    @Test
    void aTimeoutThatDoesNotGetThroughIsSentAgainWithBackoff() {
        AtomicInteger outages = new AtomicInteger(2);
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof FailSavepoint && outages.getAndDecrement() > 0) {
                throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction");
            }
            return null;
        });
        FailSavepoint timedOut = new FailSavepoint(JOB, TRIGGER, "not completed within PT10M", true,
                AT.plus(PROPERTIES.savepointTimeout()).plus(PROPERTIES.lateWatch()));
        fixture.givenCurrentTime(AT).andThenAPublished(triggered(false))
                .whenTimeElapses(PROPERTIES.savepointTimeout())
                .expectDispatchedCommands(timedOut)
                .expectScheduledDeadlineWithName(PROPERTIES.retries().delay(1), SavepointSaga.TIMEOUT);
        fixture.whenTimeElapses(PROPERTIES.retries().delay(1))
                .expectScheduledDeadlineWithName(PROPERTIES.retries().delay(2), SavepointSaga.TIMEOUT);
    }
}

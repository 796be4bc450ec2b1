package dev.savepoints.flink.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.FailJobCancel;
import dev.savepoints.command.api.JobCancelRequested;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Source;
import dev.savepoints.flink.FlinkGatewayProperties;
import dev.savepoints.flink.rest.FlinkCallFailed;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.test.saga.SagaTestFixture;
import org.springframework.transaction.CannotCreateTransactionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobCancelSagaTest {

    private static final JobId JOB = JobId.of("default", "flinkjobcluster-sample");
    private static final String FLINK_JOB = "c0c55ce62eba6ab41b6bb9288ef79c12";
    private static final FlinkGatewayProperties PROPERTIES = FlinkGatewayProperties.defaults();

    private SagaTestFixture<JobCancelSaga> fixture;
    private ScriptedFlinkGateway flink;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(JobCancelSaga.class);
        flink = new ScriptedFlinkGateway();
        fixture.registerResource(flink);
        fixture.registerResource(PROPERTIES);
        fixture.registerResource(new LeftoverDeadlines(Runnable::run, (task, delay) -> task.run(), Duration.ZERO, 1));
    }

    private static JobCancelRequested requested() {
        return new JobCancelRequested(JOB, FLINK_JOB, "c-1");
    }

    @Test
    void aJobManagerInTheMiddleOfAnElectionIsAskedAgainLater() {
        flink.onCancel(ScriptedFlinkGateway.unavailable());
        fixture.givenNoPriorActivity()
                .whenPublishingA(new JobCancelRequested(JOB, FLINK_JOB, "c-1"))
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(FlinkGatewayProperties.defaults().retries().delay(1), JobCancelSaga.RETRY)
                .expectActiveSagas(1);
    }

    @Test
    void aCancelFlinkRefusesForGoodFailsTheControlWithFlinksCauseInsteadOfAskingForever() {
        flink.onCancel(new FlinkCallFailed(FlinkCallFailed.Kind.SERVER_ERROR, 500,
                "PATCH /jobs/x answered 500: internal error", null));
        fixture.givenNoPriorActivity()
                .whenPublishingA(new JobCancelRequested(JOB, FLINK_JOB, "c-1"))
                .expectDispatchedCommands(new FailJobCancel(JOB, "c-1", "PATCH /jobs/x answered 500: internal error"))
                .expectNoScheduledDeadlines()
                .expectActiveSagas(0);
        assertThat(flink.calls).containsExactly("cancel " + FLINK_JOB);
    }

    @Test
    void aCancelFlinkCannotTakeWithinTheTimeoutFailsTheControlNamingTheLastError() {
        for (int i = 0; i < 40; i++) {
            flink.onCancel(ScriptedFlinkGateway.unavailable());
        }
        fixture.givenNoPriorActivity()
                .whenPublishingA(requested())
                .expectScheduledDeadlineWithName(PROPERTIES.cancelTimeout(), JobCancelSaga.TIMEOUT);
        fixture.whenTimeElapses(PROPERTIES.cancelTimeout())
                .expectDispatchedCommands(new FailJobCancel(JOB, "c-1", "not cancelled within PT10M; last Flink error: "
                        + "POST /jobs/x/savepoints answered 503: Service temporarily unavailable due to an ongoing leader election"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        int callsUntilTimeout = flink.calls.size();
        fixture.whenTimeElapses(Duration.ofMinutes(30));
        assertThat(flink.calls).as("the retries ended with the control").hasSize(callsUntilTimeout);
    }

    @Test
    void aCancelFlinkTookWhoseJobDoesNotEndFailsTheControlAtTheTimeout() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(requested())
                .expectNoDispatchedCommands()
                .expectActiveSagas(1); // the control ends when the observer sees the job end
        fixture.whenTimeElapses(PROPERTIES.cancelTimeout())
                .expectDispatchedCommands(new FailJobCancel(JOB, "c-1",
                        "Flink took the cancel, but the job did not end within PT10M"))
                .expectActiveSagas(0);
        assertThat(flink.calls).containsExactly("cancel " + FLINK_JOB);
    }

    @Test
    void theSagaEndsWithItsControlAndWithItsJobCancellingItsTimeout() {
        fixture.givenAPublished(requested())
                .whenPublishingA(new ControlSucceeded(JOB, "c-1", ControlName.JOB_CANCEL, FLINK_JOB, null, null))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        fixture.givenAPublished(requested())
                .whenPublishingA(new ControlFailed(JOB, "c-1", ControlName.JOB_CANCEL, FLINK_JOB, null,
                        "the job ended (Failed)"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands();
    }

    @Test
    void aDeregisteredJobEndsTheRetries() {
        flink.onCancel(ScriptedFlinkGateway.unavailable());
        fixture.givenAPublished(requested())
                .whenPublishingA(new JobDeregistered(JOB, "uid", "the FlinkCluster was deleted",
                        new RequestedBy("kubectl", Source.KUBERNETES_SPEC, null)))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands();
    }

    @Test
    void aJobFlinkNoLongerKnowsIsReportedLost() {
        flink.onCancel(ScriptedFlinkGateway.notFound());
        fixture.givenNoPriorActivity()
                .whenPublishingA(requested())
                .expectDispatchedCommands(new ReportJobState(JOB, FLINK_JOB, JobState.LOST,
                        ScriptedFlinkGateway.notFound().getMessage()))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aResultThatDoesNotGetThroughIsSentAgainWithTheNextCancel() {
        AtomicInteger outages = new AtomicInteger(1);
        fixture.setCallbackBehavior((command, metaData) -> {
            if (outages.getAndDecrement() > 0) {
                throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction");
            }
            return null;
        });
        flink.onCancel(ScriptedFlinkGateway.rejected("PATCH /jobs/x answered 400: refused"),
                ScriptedFlinkGateway.rejected("PATCH /jobs/x answered 400: refused"));
        FailJobCancel failed = new FailJobCancel(JOB, "c-1", "PATCH /jobs/x answered 400: refused");
        fixture.givenNoPriorActivity()
                .whenPublishingA(requested())
                .expectDispatchedCommands(failed)
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(PROPERTIES.retries().delay(1), JobCancelSaga.RETRY);
        fixture.whenTimeElapses(PROPERTIES.retries().delay(1))
                .expectDispatchedCommands(failed)
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aResultTheJobRefusesEndsTheSaga() {
        fixture.setCallbackBehavior((command, metaData) -> {
            throw new IllegalStateException("job default/flinkjobcluster-sample is not registered");
        });
        flink.onCancel(ScriptedFlinkGateway.notFound());
        fixture.givenNoPriorActivity()
                .whenPublishingA(requested())
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        assertThat(flink.calls).containsExactly("cancel " + FLINK_JOB);
    }
}

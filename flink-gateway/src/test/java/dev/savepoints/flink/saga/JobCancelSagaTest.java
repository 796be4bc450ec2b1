package dev.savepoints.flink.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.FailJobCancel;
import dev.savepoints.command.api.JobCancelRequested;
import dev.savepoints.command.api.JobId;
import dev.savepoints.flink.FlinkGatewayProperties;
import dev.savepoints.flink.rest.FlinkCallFailed;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobCancelSagaTest {

    private static final JobId JOB = JobId.of("default", "flinkjobcluster-sample");
    private static final String FLINK_JOB = "c0c55ce62eba6ab41b6bb9288ef79c12";

    private SagaTestFixture<JobCancelSaga> fixture;
    private ScriptedFlinkGateway flink;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(JobCancelSaga.class);
        flink = new ScriptedFlinkGateway();
        fixture.registerResource(flink);
        fixture.registerResource(FlinkGatewayProperties.defaults());
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
}

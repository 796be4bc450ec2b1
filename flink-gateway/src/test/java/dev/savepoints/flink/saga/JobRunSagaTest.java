package dev.savepoints.flink.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.FailJobSubmission;
import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobRestartRequested;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.RecordRestart;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Source;
import dev.savepoints.flink.FlinkGatewayProperties;
import dev.savepoints.flink.JarUnavailable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

class JobRunSagaTest {

    private static final JobId JOB = JobId.of("default", "flinkjobcluster-sample");
    private static final JobArtifact JAR = new JobArtifact("/opt/flink/usrlib/job.jar", "org.example.Job", List.of("--x", "1"), 2);
    private static final String SAVEPOINT = "gs://my-bucket/savepoints/savepoint-c0c55c-63ed75ba89c1";
    private static final String EVENT_ID = "8d0c1c2e-2d5f-4b5a-9f0e-000000000001";
    private static final String FLINK_JOB = UUID.nameUUIDFromBytes(EVENT_ID.getBytes(StandardCharsets.UTF_8))
            .toString().replace("-", "");

    private SagaTestFixture<JobRunSaga> fixture;
    private ScriptedFlinkGateway flink;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(JobRunSaga.class);
        flink = new ScriptedFlinkGateway();
        fixture.registerResource(flink);
        fixture.registerResource(FlinkGatewayProperties.defaults());
        fixture.registerResource(new LeftoverDeadlines(Runnable::run, (task, delay) -> task.run(), Duration.ZERO, 1));
    }

    private static GenericEventMessage<Object> withId(Object payload) {
        return new GenericEventMessage<>(EVENT_ID, payload, MetaData.emptyInstance(), java.time.Instant.now());
    }

    @Test
    void aJobIsSubmittedUnderAFlinkJobIdDerivedFromItsRequest() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(withId(new JobSubmissionRequested(JOB, JAR, null, false)))
                .expectDispatchedCommands(new RecordJobSubmitted(JOB, FLINK_JOB))
                .expectActiveSagas(0);
        assertThat(flink.calls).containsExactly("submit " + FLINK_JOB);
        assertThat(FLINK_JOB).matches("[0-9a-f]{32}");
    }

    @Test
    void aRestartIsSubmittedFromItsSavepointAndRecordedAsARestart() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(withId(new JobRestartRequested(JOB, JAR, SAVEPOINT, true, 1)))
                .expectDispatchedCommands(new RecordRestart(JOB, FLINK_JOB, SAVEPOINT));
        assertThat(flink.calls).containsExactly("submit " + FLINK_JOB + " from " + SAVEPOINT);
    }

    @Test
    void anUnreachableJobManagerIsTriedAgainWithTheSameFlinkJobId() {
        flink.onSubmit(ScriptedFlinkGateway.unavailable());
        fixture.givenNoPriorActivity()
                .whenPublishingA(withId(new JobSubmissionRequested(JOB, JAR, null, false)))
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofSeconds(1), JobRunSaga.RETRY);
        fixture.whenTimeElapses(Duration.ofSeconds(1))
                .expectDispatchedCommands(new RecordJobSubmitted(JOB, FLINK_JOB));
        assertThat(flink.calls).containsExactly("submit " + FLINK_JOB, "submit " + FLINK_JOB);
    }

    @Test
    void aJarThatCannotBeHadOrARefusedRunFailsTheSubmission() {
        flink.onSubmit(new JarUnavailable("jarFile /opt/flink/usrlib/job.jar is not a readable file", null));
        fixture.givenNoPriorActivity()
                .whenPublishingA(withId(new JobSubmissionRequested(JOB, JAR, null, false)))
                .expectDispatchedCommands(new FailJobSubmission(JOB, "jarFile /opt/flink/usrlib/job.jar is not a readable file"))
                .expectActiveSagas(0);
        flink.onSubmit(ScriptedFlinkGateway.rejected("POST /jars/x/run answered 400: ClassNotFoundException: org.example.Job"));
        fixture.givenNoPriorActivity()
                .whenPublishingA(withId(new JobSubmissionRequested(JOB, JAR, null, false)))
                .expectDispatchedCommands(new FailJobSubmission(JOB,
                        "POST /jars/x/run answered 400: ClassNotFoundException: org.example.Job"));
    }

    @Test
    void aDeregisteredJobIsNoLongerRetried() {
        flink.onSubmit(ScriptedFlinkGateway.unavailable());
        fixture.givenAPublished(withId(new JobSubmissionRequested(JOB, JAR, null, false)))
                .whenPublishingA(new JobDeregistered(JOB, "uid", "the FlinkCluster was deleted",
                        new RequestedBy("kubectl", Source.KUBERNETES_SPEC, null)))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aReportThatDoesNotGetThroughIsSentAgainAfterTheRunIsRepeated() {
        AtomicInteger outages = new AtomicInteger(1);
        fixture.setCallbackBehavior((command, metaData) -> {
            if (outages.getAndDecrement() > 0) {
                throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction");
            }
            return null;
        });
        fixture.givenNoPriorActivity()
                .whenPublishingA(withId(new JobSubmissionRequested(JOB, JAR, null, false)))
                .expectDispatchedCommands(new RecordJobSubmitted(JOB, FLINK_JOB))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(Duration.ofSeconds(1), JobRunSaga.RETRY);
        fixture.whenTimeElapses(Duration.ofSeconds(1))
                .expectDispatchedCommands(new RecordJobSubmitted(JOB, FLINK_JOB))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        assertThat(flink.calls).as("the same Flink job id: the run is idempotent")
                .containsExactly("submit " + FLINK_JOB, "submit " + FLINK_JOB);
    }

    @Test
    void aReportTheJobRefusesEndsTheSagaInsteadOfRunningTheJobAgainForever() {
        fixture.setCallbackBehavior((command, metaData) -> {
            throw new IllegalStateException("job default/flinkjobcluster-sample is not waiting for a submission (state RUNNING)");
        });
        fixture.givenNoPriorActivity()
                .whenPublishingA(withId(new JobSubmissionRequested(JOB, JAR, null, false)))
                .expectDispatchedCommands(new RecordJobSubmitted(JOB, FLINK_JOB))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        fixture.whenTimeElapses(Duration.ofMinutes(10));
        assertThat(flink.calls).containsExactly("submit " + FLINK_JOB);
    }

    @Test
    void aFlinkClusterThatDoesNotBecomeReadyFailsTheSubmissionAfterTheWait() {
        Object[] notReady = new Object[100];
        java.util.Arrays.fill(notReady, new dev.savepoints.flink.rest.FlinkCallFailed(
                dev.savepoints.flink.rest.FlinkCallFailed.Kind.NOT_READY, 0,
                "waiting for StatefulSet sample-jobmanager to take its declaration", null));
        flink.onSubmit(notReady);
        fixture.givenNoPriorActivity()
                .whenPublishingA(withId(new JobSubmissionRequested(JOB, JAR, null, false)))
                .expectNoDispatchedCommands();
        fixture.whenTimeElapses(Duration.ofMinutes(9))
                .expectNoDispatchedCommands();
        fixture.whenTimeElapses(Duration.ofMinutes(2))
                .expectDispatchedCommands(new FailJobSubmission(JOB, "its Flink cluster was not ready within PT10M: "
                        + "waiting for StatefulSet sample-jobmanager to take its declaration"))
                .expectActiveSagas(0);
    }
}

package dev.savepoints.flink.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.DisposalMethod;
import dev.savepoints.command.api.DisposalReason;
import dev.savepoints.command.api.FailSavepointDisposal;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RecordSavepointDisposed;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.SavepointDisposalRequested;
import dev.savepoints.command.api.Source;
import dev.savepoints.flink.FlinkGatewayProperties;
import dev.savepoints.flink.rest.DisposalStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * One disposal attempt: asked of Flink, polled to its end, reported; a JobManager that does not answer fails the
 * attempt at once (the job retries), unless the service can delete a {@code file:} savepoint it sees itself. The
 * disposal itself on a real Flink is tested in {@code RestFlinkGatewayTest}; here the faults.
 */
class DisposalSagaTest {

    private static final JobId JOB = JobId.of("default", "flinkjobcluster-sample");
    private static final String TRIGGER = "21db90b88ce7a6e201032d9f764cdd64";
    private static final String LOCATION = "gs://my-bucket/savepoints/savepoint-c0c55c-75ed63ba63b2";
    private static final FlinkGatewayProperties PROPERTIES = FlinkGatewayProperties.defaults();
    private static final RequestedBy POLICY = RequestedBy.service(Source.RETENTION_POLICY);

    private SagaTestFixture<DisposalSaga> fixture;
    private ScriptedFlinkGateway flink;

    @TempDir
    Path work;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(DisposalSaga.class);
        flink = new ScriptedFlinkGateway();
        fixture.registerResource(flink);
        fixture.registerResource(PROPERTIES);
        fixture.registerResource(new LeftoverDeadlines(Runnable::run, (task, delay) -> task.run(), Duration.ZERO, 1));
    }

    private static SavepointDisposalRequested requested(String location, int attempt) {
        return new SavepointDisposalRequested(JOB, TRIGGER, location, null, DisposalReason.MAX_COUNT, attempt, POLICY,
                Instant.parse("2026-12-04T02:00:00Z"));
    }

    @Test
    void aDisposalIsPolledUntilFlinkFinishedItAndThenRecorded() {
        flink.onDispose("d-1").onDisposalStatus(DisposalStatus.inProgress(), DisposalStatus.completed());
        fixture.givenNoPriorActivity()
                .whenPublishingA(requested(LOCATION, 1))
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(PROPERTIES.pollInitial(), DisposalSaga.POLL);
        fixture.whenTimeElapses(PROPERTIES.pollInitial()).expectNoDispatchedCommands();
        fixture.whenTimeElapses(PROPERTIES.pollMax())
                .expectDispatchedCommands(new RecordSavepointDisposed(JOB, TRIGGER, 1, DisposalMethod.FLINK))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        assertThat(flink.calls).containsExactly("dispose " + LOCATION, "disposal status d-1", "disposal status d-1");
    }

    @Test
    void aSavepointFlinkCannotFindIsRecordedAsGone() {
        flink.onDispose("d-1").onDisposalStatus(DisposalStatus.gone("java.io.FileNotFoundException: Cannot find"));
        fixture.givenNoPriorActivity().whenPublishingA(requested(LOCATION, 2));
        fixture.whenTimeElapses(PROPERTIES.pollInitial())
                .expectDispatchedCommands(new RecordSavepointDisposed(JOB, TRIGGER, 2, DisposalMethod.ALREADY_GONE));
    }

    @Test
    void aDisposalTheJobManagerForgotIsAskedForAgain() {
        flink.onDispose("d-1", "d-2").onDisposalStatus(ScriptedFlinkGateway.notFound(), DisposalStatus.completed());
        fixture.givenNoPriorActivity().whenPublishingA(requested(LOCATION, 1));
        fixture.whenTimeElapses(PROPERTIES.pollInitial()).expectNoDispatchedCommands();
        fixture.whenTimeElapses(PROPERTIES.pollInitial())
                .expectDispatchedCommands(new RecordSavepointDisposed(JOB, TRIGGER, 1, DisposalMethod.FLINK));
        assertThat(flink.calls).containsExactly("dispose " + LOCATION, "disposal status d-1", "dispose " + LOCATION,
                "disposal status d-2");
    }

    @Test
    void noJobManagerFailsTheAttemptAtOnceSoThatTheJobRetriesItWithItsBackoff() {
        flink.onDispose(ScriptedFlinkGateway.unreachable());
        fixture.givenNoPriorActivity()
                .whenPublishingA(requested(LOCATION, 1))
                .expectDispatchedCommands(new FailSavepointDisposal(JOB, TRIGGER, 1,
                        "no JobManager took the disposal: POST /savepoint-disposal: connection refused"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void withoutAJobManagerAFileSavepointTheServiceSeesIsDeletedHere() throws Exception {
        Path savepoint = Files.createDirectories(work.resolve("savepoint-c0c55c-75ed63ba63b2"));
        Files.writeString(savepoint.resolve("_metadata"), "metadata");
        Files.writeString(savepoint.resolve("state-1"), "state");
        flink.onDispose(ScriptedFlinkGateway.unreachable());
        fixture.givenNoPriorActivity()
                .whenPublishingA(requested(savepoint.toUri().toString(), 1))
                .expectDispatchedCommands(new RecordSavepointDisposed(JOB, TRIGGER, 1, DisposalMethod.LOCAL_FILES));
        assertThat(savepoint).doesNotExist();
        assertThat(work).exists();
    }

    @Test
    void aDirectoryWithoutSavepointMetadataIsNeverDeleted() throws Exception {
        Path notASavepoint = Files.createDirectories(work.resolve("data"));
        Files.writeString(notASavepoint.resolve("important"), "keep me");
        flink.onDispose(ScriptedFlinkGateway.unreachable());
        fixture.givenNoPriorActivity()
                .whenPublishingA(requested(notASavepoint.toUri().toString(), 1))
                .expectDispatchedCommands(new FailSavepointDisposal(JOB, TRIGGER, 1,
                        "no JobManager took the disposal: POST /savepoint-disposal: connection refused"));
        assertThat(notASavepoint.resolve("important")).exists();
    }

    @Test
    void aDisposalFlinkDoesNotFinishFailsAtTheTimeout() {
        fixture.givenNoPriorActivity().whenPublishingA(requested(LOCATION, 1));
        fixture.whenTimeElapses(PROPERTIES.disposalTimeout())
                .expectDispatchedCommands(new FailSavepointDisposal(JOB, TRIGGER, 1,
                        "not finished within " + PROPERTIES.disposalTimeout()))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aResultThatDoesNotGetThroughIsSentAgain() {
        AtomicInteger outages = new AtomicInteger(1);
        fixture.setCallbackBehavior((command, metaData) -> {
            if (outages.getAndDecrement() > 0) {
                throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction");
            }
            return null;
        });
        flink.onDispose("d-1").onDisposalStatus(DisposalStatus.completed());
        RecordSavepointDisposed disposed = new RecordSavepointDisposed(JOB, TRIGGER, 1, DisposalMethod.FLINK);
        fixture.givenNoPriorActivity().whenPublishingA(requested(LOCATION, 1));
        fixture.whenTimeElapses(PROPERTIES.pollInitial())
                .expectDispatchedCommands(disposed)
                .expectActiveSagas(1);
        fixture.whenTimeElapses(PROPERTIES.retries().delay(1))
                .expectDispatchedCommands(disposed)
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }
}

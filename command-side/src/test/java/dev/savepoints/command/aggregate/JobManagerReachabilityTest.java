package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;

import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.JobManagerReachable;
import dev.savepoints.command.api.JobManagerUnreachable;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.ReportJobManagerReachable;
import dev.savepoints.command.api.ReportJobManagerUnreachable;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointDeferred;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JobManager that stops answering: a state no one can confirm, savepoints that wait for it, and its return. */
class JobManagerReachabilityTest {

    private static final JobSettings EVERY_MINUTE = settings(60, RestartPolicy.NEVER);
    private static final Instant SINCE = T0.minusSeconds(15);
    private static final JobManagerUnreachable UNREACHABLE =
            new JobManagerUnreachable(JOB, FLINK_JOB, SINCE, 3, "Connection refused");
    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static ReportJobManagerUnreachable report() {
        return new ReportJobManagerUnreachable(JOB, FLINK_JOB, SINCE, 3, "Connection refused");
    }

    @Test
    void aRunningJobWhoseJobManagerStopsAnsweringIsRecordedAsSuch() {
        at(fixture, running(plainSettings()))
                .when(report())
                .expectEvents(UNREACHABLE);
    }

    @Test
    void itIsRecordedOnceHoweverOftenItIsReported() {
        at(fixture, concat(running(plainSettings()), UNREACHABLE))
                .when(report())
                .expectNoEvents();
    }

    @Test
    void aJobNoJobManagerHasToConfirmIsNotMarked() {
        at(fixture, registered(plainSettings()))
                .when(report())
                .expectNoEvents();
    }

    @Test
    void aReportAboutAnotherFlinkJobIsIgnored() {
        at(fixture, running(plainSettings()))
                .when(new ReportJobManagerUnreachable(JOB, "another", SINCE, 3, null))
                .expectNoEvents();
    }

    @Test
    void itsReturnIsRecorded() {
        at(fixture, concat(running(plainSettings()), UNREACHABLE))
                .when(new ReportJobManagerReachable(JOB, FLINK_JOB))
                .expectEvents(new JobManagerReachable(JOB, FLINK_JOB, SINCE));
    }

    @Test
    void aJobManagerThatNeverWentAwayDoesNotComeBack() {
        at(fixture, running(plainSettings()))
                .when(new ReportJobManagerReachable(JOB, FLINK_JOB))
                .expectNoEvents();
    }

    @Test
    void aSavepointDueMeanwhileWaitsInsteadOfBeingSkipped() {
        at(fixture, registered(EVERY_MINUTE), new JobSubmitted(JOB, FLINK_JOB, null))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null), report())
                .whenTimeElapses(Duration.ofSeconds(60))
                .expectEvents(new SavepointDeferred(JOB, TriggerReason.SCHEDULED,
                        "the JobManager cannot be reached since " + SINCE, SCHEDULE,
                        T0.plusSeconds(60)));
    }

    @Test
    void theSavepointThatWaitedWaitsForTheJobsStateWhenTheJobManagerAnswers() {
        at(fixture, concat(running(EVERY_MINUTE), UNREACHABLE,
                new SavepointDeferred(JOB, TriggerReason.SCHEDULED, "waiting", SCHEDULE, T0)))
                .when(new ReportJobManagerReachable(JOB, FLINK_JOB))
                .expectEvents(new JobManagerReachable(JOB, FLINK_JOB, SINCE));
    }

    @Test
    void theSavepointThatWaitedIsTakenOnceTheJobIsSeenRunning() {
        at(fixture, concat(running(EVERY_MINUTE), UNREACHABLE,
                new SavepointDeferred(JOB, TriggerReason.SCHEDULED, "waiting", SCHEDULE, T0),
                new JobManagerReachable(JOB, FLINK_JOB, SINCE)))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .expectEvents(triggered("id-1", TriggerReason.SCHEDULED, SCHEDULE, T0));
    }

    @Test
    void aStateReportedByTheJobManagerAlsoSaysItAnswers() {
        at(fixture, concat(running(EVERY_MINUTE), UNREACHABLE,
                new SavepointDeferred(JOB, TriggerReason.SCHEDULED, "waiting", SCHEDULE, T0)))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .expectEvents(new JobManagerReachable(JOB, FLINK_JOB, SINCE),
                        triggered("id-1", TriggerReason.SCHEDULED, SCHEDULE, T0));
    }

    @Test
    void aSavepointAskedForMeanwhileIsRefusedWithTheReason() {
        String why = "the JobManager cannot be reached since " + SINCE;
        at(fixture, concat(running(plainSettings()), UNREACHABLE))
                .when(new TriggerSavepoint(JOB, TriggerReason.REST, null, REST_USER))
                .expectEvents(new SavepointRejected(JOB, TriggerReason.REST, null, why, REST_USER))
                .expectResultMessagePayload(Decision.rejected(why));
    }

    @Test
    void aJobCancelAskedForMeanwhileIsRefusedWithTheReason() {
        at(fixture, concat(running(plainSettings()), UNREACHABLE))
                .when(new RequestControl(JOB, "job-cancel", "k-1", ANNOTATOR))
                .expectEvents(new ControlRejected(JOB, "job-cancel", "k-1",
                        "the JobManager cannot be reached since " + SINCE, ANNOTATOR));
    }

    @Test
    void aJobTheJobManagerNoLongerKnowsWhenItComesBackIsLostAndRestarted() {
        JobSettings restarting = settings(null, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
        at(fixture, concat(running(restarting), completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0), UNREACHABLE))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.LOST, "unknown job"))
                .expectEvents(new JobManagerReachable(JOB, FLINK_JOB, SINCE),
                        new JobStateChanged(JOB, FLINK_JOB, JobState.RUNNING, JobState.LOST),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0.plus(PROPERTIES.restartBackoff(1))));
    }

    @Test
    void aNewIncarnationStartsReachable() {
        at(fixture, concat(running(plainSettings()), UNREACHABLE))
                .when(new ReportJobManagerReachable(JOB, FLINK_JOB))
                .expectEvents(new JobManagerReachable(JOB, FLINK_JOB, SINCE));
        at(fixture, concat(running(plainSettings()), UNREACHABLE, registered(plainSettings()),
                new JobSubmitted(JOB, FLINK_JOB, null)))
                .when(new ReportJobManagerReachable(JOB, FLINK_JOB))
                .expectNoEvents();
    }
}

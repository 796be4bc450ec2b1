package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;

import dev.savepoints.command.api.AutomaticSavepointScheduled;
import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import java.time.Duration;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AutomaticSavepointTest {

    private static final JobSettings EVERY_MINUTE = settings(60, RestartPolicy.NEVER);
    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static Object[] deploying(JobSettings settings) {
        return new Object[] {registered(settings), new JobSubmitted(JOB, FLINK_JOB, null)};
    }

    @Test
    void aJobThatStartsRunningGetsItsFirstSavepointScheduled() {
        at(fixture, deploying(EVERY_MINUTE))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .expectScheduledDeadlineWithName(Duration.ofSeconds(60), FlinkJob.AUTO_SAVEPOINT);
    }

    @Test
    void noScheduleWithoutAnInterval() {
        at(fixture, deploying(plainSettings()))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .expectNoScheduledDeadlines();
    }

    @Test
    void theScheduleTakesASavepointWhenDue() {
        at(fixture, deploying(EVERY_MINUTE))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .whenTimeElapses(Duration.ofSeconds(60))
                .expectEvents(triggered("id-1", TriggerReason.SCHEDULED, SCHEDULE, T0.plusSeconds(60)))
                .expectTriggeredDeadlinesWithName(FlinkJob.AUTO_SAVEPOINT);
    }

    @Test
    void nothingIsTakenBeforeItIsDue() {
        at(fixture, deploying(EVERY_MINUTE))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .whenTimeElapses(Duration.ofSeconds(59))
                .expectNoEvents();
    }

    @Test
    void eachCompletionSchedulesTheNext() {
        at(fixture, concat(running(EVERY_MINUTE), triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0)))
                .when(new CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0),
                        new AutomaticSavepointScheduled(JOB, T0.plusSeconds(60)))
                .expectScheduledDeadlineWithName(Duration.ofSeconds(60), FlinkJob.AUTO_SAVEPOINT);
    }

    @Test
    void aFailedScheduledSavepointIsRetriedAfterAShortInterval() {
        at(fixture, concat(running(EVERY_MINUTE), triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0)))
                .when(new FailSavepoint(JOB, "t-1", "boom", false))
                .expectEvents(new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.SCHEDULED, "boom", false, T0, T0),
                        new AutomaticSavepointScheduled(JOB, T0.plus(PROPERTIES.scheduledRetryInterval())))
                .expectScheduledDeadlineWithName(PROPERTIES.scheduledRetryInterval(), FlinkJob.AUTO_SAVEPOINT);
    }

    @Test
    void aScheduleThatFindsAnotherSavepointRunningTriesAgainSoon() {
        at(fixture, deploying(EVERY_MINUTE))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null),
                        new TriggerSavepoint(JOB, TriggerReason.REST, null, REST_USER))
                .whenTimeElapses(Duration.ofSeconds(60))
                .expectEvents(new AutomaticSavepointScheduled(JOB, T0.plusSeconds(60).plus(PROPERTIES.scheduledRetryInterval())))
                .expectScheduledDeadlineWithName(PROPERTIES.scheduledRetryInterval(), FlinkJob.AUTO_SAVEPOINT);
    }

    @Test
    void aJobThatStopsTakesNoMoreSavepoints() {
        at(fixture, deploying(EVERY_MINUTE))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null),
                        new ReportJobState(JOB, FLINK_JOB, JobState.FINISHED, null))
                .whenTimeElapses(Duration.ofSeconds(60))
                .expectTriggeredDeadlinesWithName(FlinkJob.AUTO_SAVEPOINT)
                .expectNoEvents();
    }

    @Test
    void aNewIntervalReplacesTheSchedule() {
        at(fixture, deploying(EVERY_MINUTE))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null))
                .when(new ChangeJobSettings(JOB, settings(300, RestartPolicy.NEVER), KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, settings(300, RestartPolicy.NEVER), KUBECTL),
                        new AutomaticSavepointScheduled(JOB, T0.plusSeconds(300)))
                .expectScheduledDeadlineWithName(Duration.ofSeconds(300), FlinkJob.AUTO_SAVEPOINT);
    }

    @Test
    void theReplacedScheduleTakesNoSavepoint() {
        at(fixture, deploying(EVERY_MINUTE))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null),
                        new ChangeJobSettings(JOB, settings(300, RestartPolicy.NEVER), KUBECTL))
                .whenTimeElapses(Duration.ofSeconds(300))
                .expectTriggeredDeadlinesWithName(FlinkJob.AUTO_SAVEPOINT, FlinkJob.AUTO_SAVEPOINT)
                .expectEvents(triggered("id-1", TriggerReason.SCHEDULED, SCHEDULE, T0.plusSeconds(300)));
    }

    @Test
    void switchingTheIntervalOffEndsTheSchedule() {
        at(fixture, deploying(EVERY_MINUTE))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null),
                        new ChangeJobSettings(JOB, settings(0, RestartPolicy.NEVER), KUBECTL))
                .whenTimeElapses(Duration.ofSeconds(60))
                .expectNoEvents();
    }

    @Test
    void aScheduleThatEndedAndStartedAgainTakesOneSavepointPerDueTime() {
        at(fixture, deploying(EVERY_MINUTE))
                .andGivenCommands(new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null),
                        new ChangeJobSettings(JOB, settings(0, RestartPolicy.NEVER), KUBECTL),
                        new ChangeJobSettings(JOB, EVERY_MINUTE, KUBECTL))
                .whenTimeElapses(Duration.ofSeconds(60))
                .expectTriggeredDeadlinesWithName(FlinkJob.AUTO_SAVEPOINT, FlinkJob.AUTO_SAVEPOINT)
                .expectEvents(triggered("id-1", TriggerReason.SCHEDULED, SCHEDULE, T0.plusSeconds(60)));
    }
}

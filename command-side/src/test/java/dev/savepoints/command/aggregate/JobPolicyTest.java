package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;

import dev.savepoints.command.api.AutomaticSavepointScheduled;
import dev.savepoints.command.api.Backoff;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.RestartedFromSavepoint;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.TriggerReason;
import java.time.Duration;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The aggregate decides by the policy it is handed, not by defaults of its own. */
class JobPolicyTest {

    private static final JobPolicy POLICY = new JobPolicy(seconds(7), new Backoff(seconds(3), seconds(5)), new Backoff(seconds(2), seconds(8)), 2, seconds(30));
    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture(POLICY);
    }

    @Test
    void aFailedScheduledSavepointIsRetriedAfterThePolicysInterval() {
        at(fixture, concat(running(settings(60, RestartPolicy.NEVER)),
                        triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0)))
                .when(new FailSavepoint(JOB, "t-1", "boom", false))
                .expectEvents(new SavepointFailed(JOB, "t-1", FLINK_JOB, TriggerReason.SCHEDULED, "boom", false, T0, T0),
                        new AutomaticSavepointScheduled(JOB, T0.plusSeconds(7)))
                .expectScheduledDeadlineWithName(Duration.ofSeconds(7), FlinkJob.AUTO_SAVEPOINT);
    }

    @Test
    void aFailedJobWaitsThePolicysBackoffDoubledPerFailureInARowUpToItsMaximum() {
        Object[] withSavepoint = concat(running(settings(null, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE)),
                triggered("t-1", TriggerReason.SCHEDULED, SCHEDULE, T0),
                completed("t-1", TriggerReason.SCHEDULED, 1, T0, T0));
        at(fixture, withSavepoint)
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, "boom"))
                .expectEvents(new JobFailed(JOB, FLINK_JOB, "boom"),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0.plusSeconds(3)));
        at(newFixture(POLICY), concat(withSavepoint,
                        new JobFailed(JOB, FLINK_JOB, "boom"),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 1, T0),
                        new RestartedFromSavepoint(JOB, FLINK_JOB, FLINK_JOB, location("t-1"), 1, 1),
                        new JobStateChanged(JOB, FLINK_JOB, JobState.DEPLOYING, JobState.RUNNING)))
                .when(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, "boom"))
                .expectEvents(new JobFailed(JOB, FLINK_JOB, "boom"),
                        new JobRestartScheduled(JOB, FLINK_JOB, location("t-1"), 2, T0.plusSeconds(5)));
    }
}

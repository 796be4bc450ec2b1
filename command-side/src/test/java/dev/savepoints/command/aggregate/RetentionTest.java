package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;

import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.DeregisterJob;
import dev.savepoints.command.api.DisposalMethod;
import dev.savepoints.command.api.DisposalReason;
import dev.savepoints.command.api.DisposeSavepoint;
import dev.savepoints.command.api.FailSavepointDisposal;
import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobCancelRequested;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobRestartRequested;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobUpgradeStarted;
import dev.savepoints.command.api.JobVersion;
import dev.savepoints.command.api.PinSavepoint;
import dev.savepoints.command.api.RecordSavepointDisposed;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.RestartedFromSavepoint;
import dev.savepoints.command.api.RetentionCheckScheduled;
import dev.savepoints.command.api.RetentionPolicy;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointDisposalFailed;
import dev.savepoints.command.api.SavepointDisposalRefused;
import dev.savepoints.command.api.SavepointDisposalRequested;
import dev.savepoints.command.api.SavepointDisposed;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.SavepointPinRefused;
import dev.savepoints.command.api.SavepointPinned;
import dev.savepoints.command.api.SavepointUnpinned;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.UnpinSavepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retention policy disposes of what it no longer keeps, never of what the job needs: the latest savepoint, the
 * one the job started from, one an upgrade depends on, one the spec names, a pinned one, an external one (unless
 * asked). A savepoint is forgotten only when its files are reported gone; a failed disposal is tried again.
 */
class RetentionTest {

    private static final RequestedBy BY_POLICY = RequestedBy.service(Source.RETENTION_POLICY);
    private static final Instant HOUR_AGO = T0.minus(Duration.ofHours(1));
    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture(withRetention(POLICY, new RetentionPolicy(10, 86_400, false, false, List.of())));
    }

    private static JobSettings keeping(Integer maxCount, Integer maxAgeSeconds, String fromSavepoint, Boolean external,
                                       Boolean onDeletion, String... pinned) {
        return keeping(ARTIFACT, maxCount, maxAgeSeconds, fromSavepoint, external, onDeletion, pinned);
    }

    private static JobSettings keeping(JobArtifact artifact, Integer maxCount, Integer maxAgeSeconds,
                                       String fromSavepoint, Boolean external, Boolean onDeletion, String... pinned) {
        return new JobSettings(DIR, null, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE, fromSavepoint, false,
                SavepointFormatType.CANONICAL, null, false, artifact, null, null,
                new RetentionPolicy(maxCount, maxAgeSeconds, external, onDeletion, List.of(pinned)));
    }

    private static final JobSettings KEEP_ALL_SPEC = keeping(0, 0, null, null, null);

    /** Savepoints {@code ids} of the running job, completed in that order, an hour ago (the last one latest). */
    private static Object[] savepoints(Object[] before, String... ids) {
        Object[] events = before;
        long generation = 0;
        for (String id : ids) {
            events = concat(events, triggered(id, TriggerReason.SCHEDULED, SCHEDULE, HOUR_AGO),
                    completed(id, TriggerReason.SCHEDULED, ++generation, HOUR_AGO, HOUR_AGO.plusSeconds(generation)));
        }
        return events;
    }

    private static SavepointDisposalRequested disposal(String id, DisposalReason why, int attempt, RequestedBy by) {
        return new SavepointDisposalRequested(JOB, id, location(id), null, why, attempt, by, T0);
    }

    private static SavepointDisposalRequested byCount(String id) {
        return disposal(id, DisposalReason.MAX_COUNT, 1, BY_POLICY);
    }

    @Test
    void theOldestBeyondTheCountIsDisposedOfWhenANewOneCompletes() {
        JobSettings keepTwo = keeping(2, 0, null, null, null);
        at(fixture, concat(savepoints(running(keepTwo), "a", "b"), triggered("c", TriggerReason.SCHEDULED, SCHEDULE, T0)))
                .when(new CompleteSavepoint(JOB, "c", location("c")))
                .expectEvents(completed("c", TriggerReason.SCHEDULED, 3, T0, T0), byCount("a"));
    }

    @Test
    void aNewPolicyAppliesAtOnceAndTheLatestOutlivesTheAgeLimit() {
        JobSettings halfAnHour = keeping(0, 1800, null, null, null);
        at(fixture, savepoints(running(KEEP_ALL_SPEC), "a", "b"))
                .when(new ChangeJobSettings(JOB, halfAnHour, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, halfAnHour, KUBECTL),
                        disposal("a", DisposalReason.MAX_AGE, 1, BY_POLICY));
    }

    @Test
    void aSavepointIsDisposedOfWhenItReachesTheAgeLimit() {
        JobSettings twoHours = keeping(0, 7200, null, null, null);
        at(fixture, savepoints(running(KEEP_ALL_SPEC), "a", "b"))
                .andGivenCommands(new ChangeJobSettings(JOB, twoHours, KUBECTL))
                .whenTimeElapses(Duration.ofHours(1).plusSeconds(1))
                .expectEvents(new SavepointDisposalRequested(JOB, "a", location("a"), null, DisposalReason.MAX_AGE, 1,
                                BY_POLICY, T0.plus(Duration.ofHours(1).plusSeconds(1))),
                        new RetentionCheckScheduled(JOB, T0.plus(Duration.ofHours(1).plusSeconds(2))));
    }

    @Test
    void theSavepointTheJobRestartedFromIsKept() {
        Object[] restarted = concat(savepoints(running(KEEP_ALL_SPEC), "a", "b"),
                new JobFailed(JOB, FLINK_JOB, "boom"),
                new JobRestartScheduled(JOB, FLINK_JOB, location("b"), 1, T0),
                new JobRestartRequested(JOB, ARTIFACT, location("b"), false, 1),
                new RestartedFromSavepoint(JOB, FLINK_JOB, FLINK_JOB, location("b"), 1, 1),
                triggered("c", TriggerReason.SCHEDULED, SCHEDULE, T0),
                completed("c", TriggerReason.SCHEDULED, 3, T0, T0));
        JobSettings keepOne = keeping(1, 0, null, null, null);
        at(fixture, restarted)
                .when(new ChangeJobSettings(JOB, keepOne, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, keepOne, KUBECTL), byCount("a"));
    }

    @Test
    void theSavepointAnUpgradeInProgressStartsFromIsKept() {
        JobArtifact next = new JobArtifact(ARTIFACT.jarFile(), ARTIFACT.entryClass(), List.of("--rate", "20"), 1);
        JobSettings upgradeFromA = keeping(next, 0, 0, location("a"), null, null);
        Object[] upgrading = concat(savepoints(running(KEEP_ALL_SPEC), "a", "b", "c"),
                new JobSettingsChanged(JOB, upgradeFromA, KUBECTL),
                new JobUpgradeStarted(JOB, "u-1", new JobVersion(ARTIFACT, false, null), new JobVersion(next, false, null),
                        false, location("a"), KUBECTL),
                new JobCancelRequested(JOB, FLINK_JOB, "u-1"));
        // the spec no longer names a; the upgrade under way still starts from it
        JobSettings keepOne = keeping(next, 1, 0, null, null, null);
        at(fixture, upgrading)
                .when(new ChangeJobSettings(JOB, keepOne, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, keepOne, KUBECTL), byCount("b"));
    }

    @Test
    void theSavepointTheSpecNamesIsKept() {
        JobSettings keepOneFromA = keeping(1, 0, location("a"), null, null);
        at(fixture, savepoints(running(KEEP_ALL_SPEC), "a", "b", "c"))
                .when(new ChangeJobSettings(JOB, keepOneFromA, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, keepOneFromA, KUBECTL), byCount("b"));
    }

    @Test
    void aPinnedSavepointIsKeptAndNotCounted() {
        JobSettings keepOne = keeping(1, 0, null, null, null);
        at(fixture, concat(savepoints(running(KEEP_ALL_SPEC), "a", "b", "c"),
                new SavepointPinned(JOB, "a", location("a"), REST_USER)))
                .when(new ChangeJobSettings(JOB, keepOne, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, keepOne, KUBECTL), byCount("b"));
    }

    @Test
    void theAnnotationPinsBySavepointLocationOrTriggerId() {
        JobSettings keepOnePinned = keeping(1, 0, null, null, null, location("a"), "b");
        at(fixture, savepoints(running(KEEP_ALL_SPEC), "a", "b", "c", "d"))
                .when(new ChangeJobSettings(JOB, keepOnePinned, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, keepOnePinned, KUBECTL), byCount("c"));
    }

    @Test
    void anExternalSavepointIsKeptUnlessThePolicyDisposesOfExternalOnes() {
        Object[] withExternal = concat(running(KEEP_ALL_SPEC),
                new SavepointCompleted(JOB, "external-1", FLINK_JOB, TriggerReason.EXTERNAL, 1L, location("external-1"),
                        HOUR_AGO, HOUR_AGO, false));
        withExternal = savepoints(withExternal, "a", "b");
        JobSettings keepOne = keeping(1, 0, null, null, null);
        at(fixture, withExternal)
                .when(new ChangeJobSettings(JOB, keepOne, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, keepOne, KUBECTL), byCount("a"));
        JobSettings keepOneOfAll = keeping(1, 0, null, true, null);
        at(newFixture(), withExternal)
                .when(new ChangeJobSettings(JOB, keepOneOfAll, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, keepOneOfAll, KUBECTL), byCount("a"), byCount("external-1"));
    }

    @Test
    void aDisposalByHandOfTheLatestIsRefusedWithTheReason() {
        String why = "it is the job's latest completed savepoint: a restart would need it";
        at(fixture, savepoints(running(KEEP_ALL_SPEC), "a", "b"))
                .when(new DisposeSavepoint(JOB, "b", REST_USER))
                .expectEvents(new SavepointDisposalRefused(JOB, "b", why, REST_USER))
                .expectResultMessagePayload(Decision.rejected(why));
    }

    @Test
    void aDisposalByHandOfAnOlderOneIsTaken() {
        at(fixture, savepoints(running(KEEP_ALL_SPEC), "a", "b"))
                .when(new DisposeSavepoint(JOB, "a", REST_USER))
                .expectEvents(disposal("a", DisposalReason.USER, 1, REST_USER))
                .expectResultMessagePayload(Decision.accepted("a"));
    }

    @Test
    void aDisposalByHandOfAPinnedOrUnknownSavepointIsRefused() {
        at(fixture, concat(savepoints(running(KEEP_ALL_SPEC), "a", "b"),
                new SavepointPinned(JOB, "a", location("a"), REST_USER)))
                .when(new DisposeSavepoint(JOB, "a", REST_USER))
                .expectEvents(new SavepointDisposalRefused(JOB, "a", "the savepoint is pinned", REST_USER));
        String unknown = "savepoint zzz is not retained: it is no completed savepoint of this job, or it was disposed"
                + " of already";
        at(newFixture(), savepoints(running(KEEP_ALL_SPEC), "a"))
                .when(new DisposeSavepoint(JOB, "zzz", REST_USER))
                .expectResultMessagePayload(Decision.rejected(unknown));
    }

    @Test
    void aSavepointIsForgottenOnlyWhenItsFilesAreReportedGone() {
        Object[] disposing = concat(savepoints(running(KEEP_ALL_SPEC), "a", "b"),
                disposal("a", DisposalReason.USER, 1, REST_USER));
        at(fixture, disposing)
                .when(new RecordSavepointDisposed(JOB, "a", 1, DisposalMethod.FLINK))
                .expectEvents(new SavepointDisposed(JOB, "a", location("a"), DisposalReason.USER, DisposalMethod.FLINK, 1, T0));
        at(newFixture(), concat(disposing,
                new SavepointDisposed(JOB, "a", location("a"), DisposalReason.USER, DisposalMethod.FLINK, 1, T0)))
                .when(new RecordSavepointDisposed(JOB, "a", 1, DisposalMethod.ALREADY_GONE))
                .expectNoEvents();
    }

    @Test
    void aFailedDisposalIsTriedAgainAfterTheBackoff() {
        Duration backoff = POLICY.disposalRetries().delay(1);
        Object[] disposing = concat(savepoints(running(KEEP_ALL_SPEC), "a", "b"),
                disposal("a", DisposalReason.USER, 1, REST_USER));
        at(fixture, disposing)
                .when(new FailSavepointDisposal(JOB, "a", 1, "the JobManager cannot be reached"))
                .expectEvents(new SavepointDisposalFailed(JOB, "a", location("a"), DisposalReason.USER,
                                "the JobManager cannot be reached", 1, T0, T0.plus(backoff)),
                        new RetentionCheckScheduled(JOB, T0.plus(backoff)))
                .expectScheduledDeadlineWithName(backoff, FlinkJob.RETENTION_CHECK);
        at(newFixture(), disposing)
                .andGivenCommands(new FailSavepointDisposal(JOB, "a", 1, "the JobManager cannot be reached"))
                .whenTimeElapses(backoff)
                .expectEvents(new SavepointDisposalRequested(JOB, "a", location("a"), null, DisposalReason.USER, 2,
                        BY_POLICY, T0.plus(backoff)));
    }

    @Test
    void aPinWithdrawsAFailedDisposal() {
        Duration backoff = POLICY.disposalRetries().delay(1);
        at(fixture, concat(savepoints(running(KEEP_ALL_SPEC), "a", "b"), disposal("a", DisposalReason.USER, 1, REST_USER)))
                .andGivenCommands(new FailSavepointDisposal(JOB, "a", 1, "the JobManager cannot be reached"),
                        new PinSavepoint(JOB, "a", REST_USER))
                .whenTimeElapses(backoff)
                .expectNoEvents();
    }

    @Test
    void anUnpinnedSavepointFallsUnderThePolicyAgain() {
        JobSettings keepOne = keeping(1, 0, null, null, null);
        at(fixture, concat(savepoints(running(keepOne), "a", "b"), new SavepointPinned(JOB, "a", location("a"), REST_USER)))
                .when(new UnpinSavepoint(JOB, "a", REST_USER))
                .expectEvents(new SavepointUnpinned(JOB, "a", location("a"), REST_USER), byCount("a"));
    }

    @Test
    void aSavepointBeingDisposedOfCannotBePinned() {
        at(fixture, concat(savepoints(running(KEEP_ALL_SPEC), "a", "b"), disposal("a", DisposalReason.USER, 1, REST_USER)))
                .when(new PinSavepoint(JOB, "a", REST_USER))
                .expectEvents(new SavepointPinRefused(JOB, "a", true, "its disposal is in progress", REST_USER))
                .expectResultMessagePayload(Decision.rejected("its disposal is in progress"));
    }

    @Test
    void aDeletionKeepsEverythingUnlessDisposalIsAskedFor() {
        Object[] deleted = {new JobDeregistered(JOB, UID, "the FlinkCluster was deleted", KUBECTL)};
        at(fixture, savepoints(running(KEEP_ALL_SPEC), "a", "b"))
                .when(new DeregisterJob(JOB, UID, KUBECTL))
                .expectEvents(deleted);
        JobSettings disposeOnDeletion = keeping(0, 0, null, null, true);
        at(newFixture(), concat(savepoints(running(disposeOnDeletion), "a", "b", "c"),
                new SavepointPinned(JOB, "b", location("b"), REST_USER)))
                .when(new DeregisterJob(JOB, UID, KUBECTL))
                .expectEvents(deleted[0], disposal("a", DisposalReason.DELETION, 1, BY_POLICY),
                        disposal("c", DisposalReason.DELETION, 1, BY_POLICY));
        at(newFixture(), savepoints(running(KEEP_ALL_SPEC), "a"))
                .when(new DeregisterJob(JOB, UID, KUBECTL, true))
                .expectEvents(deleted[0], disposal("a", DisposalReason.DELETION, 1, BY_POLICY));
        // the service's default (savepoints.command.retention-dispose-on-deletion) for a spec that does not say
        at(newFixture(withRetention(POLICY, new RetentionPolicy(0, 0, false, true, List.of()))),
                savepoints(running(plainSettings()), "a"))
                .when(new DeregisterJob(JOB, UID, KUBECTL))
                .expectEvents(deleted[0], disposal("a", DisposalReason.DELETION, 1, BY_POLICY));
    }
}

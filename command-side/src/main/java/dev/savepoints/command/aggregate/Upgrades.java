package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.Timing.now;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.FailJobCancel;
import dev.savepoints.command.api.JobCancelRequested;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobManagerAddressSet;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.JobUpgradeRefused;
import dev.savepoints.command.api.JobUpgradeRolledBack;
import dev.savepoints.command.api.JobUpgradeStarted;
import dev.savepoints.command.api.JobUpgradeSucceeded;
import dev.savepoints.command.api.JobUpgradeTrialStarted;
import dev.savepoints.command.api.JobUpgradeWaiting;
import dev.savepoints.command.api.JobVersion;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.status.LatestSavepoint;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * Stateful upgrades (an aggregate member): when the spec asks for another version than Flink runs (jar, class,
 * arguments, parallelism, allowNonRestoredState), the running job is stopped with a savepoint ({@code
 * takeSavepointOnUpdate}, the default) or cancelled and started again from its latest savepoint, and the new
 * version is started from it. It waits while a savepoint, a control or the job's deployment is in flight; changes
 * that pile up meanwhile are applied once, as the latest spec. A stop that fails leaves the old version running and
 * is tried again after a backoff. A new version that fails before its trial period ends is rolled back: the previous
 * version runs again from the upgrade's savepoint, and the spec's version is not tried again until the spec changes.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
class Upgrades {

    enum Phase { STOPPING, WAITING, STARTING, TRIAL }

    private String upgradeId;
    private Phase phase;
    private JobVersion from;
    private JobVersion to;
    private boolean takeSavepoint;
    /** The savepoint the new version starts from (and a rollback restores). */
    private String savepoint;
    private String stopTriggerId;
    private int failedStops;
    private Instant notBefore;
    /** The version that was rolled back: not tried again until the spec asks for another. */
    private JobVersion rejected;
    /** The version last refused (no savepoint to start it from), so the refusal is said once. */
    private JobVersion refused;
    private RequestedBy lastChangeBy;
    /** Whether the spec's fromSavepoint changed with the version: its value (null too) is the user's choice of state. */
    private boolean fromSavepointChanged;
    private String specFromSavepoint;
    private long retrySchedules;
    private long trialSchedules;

    boolean inProgress() {
        return phase != null;
    }

    /** The savepoint the upgrade in progress starts its new version from, or restores on a rollback; null if none. */
    String dependsOn() {
        return phase == null ? null : savepoint;
    }

    /** Starts, or tries again, an upgrade when the spec's version is not the one Flink runs and the job is free. */
    void reconcile(FlinkJob job, TriggerIds ids, Instant at) {
        if (!job.registered() || job.run().artifact() == null || job.settings().artifact() == null
                || (phase != null && phase != Phase.WAITING)) {
            return;
        }
        JobSettings settings = job.settings();
        JobVersion running = job.run().version();
        JobVersion wanted = JobVersion.of(settings);
        if (phase == null && (wanted.equals(running) || wanted.equals(rejected))) {
            return;
        }
        if (job.run().whyNotRunning().isPresent() || job.savepoints().inFlight().isPresent()
                || job.controls().inProgress() || (notBefore != null && at.isBefore(notBefore))) {
            return; // taken when the job is free again
        }
        if (phase == Phase.WAITING) {
            stop(job, ids, at);
            return;
        }
        boolean withSavepoint = settings.takeSavepointOnUpdate() && settings.hasSavepointsDir();
        String restoreFrom = withSavepoint ? null : chosenSavepoint(job, at);
        if (!withSavepoint && restoreFrom == null && !fromSavepointChanged) {
            if (!wanted.equals(refused)) { // said once; taken once a savepoint young enough is there
                apply(new JobUpgradeRefused(job.jobId(), wanted, whyNoSavepoint(job), lastChangeBy));
            }
            return;
        }
        apply(new JobUpgradeStarted(job.jobId(), ids.next(), running, wanted, withSavepoint, restoreFrom, lastChangeBy));
        stop(job, ids, at);
    }

    private void stop(FlinkJob job, TriggerIds ids, Instant at) {
        if (takeSavepoint) {
            job.savepoints().trigger(job, ids.next(), TriggerReason.UPDATE, true, null, lastChangeBy, at);
        } else {
            apply(new JobCancelRequested(job.jobId(), job.flinkJobId(), upgradeId));
        }
    }

    /** Without a stop savepoint: the spec's fromSavepoint where it changed with the version, else the latest one young enough. */
    private String chosenSavepoint(FlinkJob job, Instant at) {
        if (fromSavepointChanged) {
            return specFromSavepoint;
        }
        return job.savepoints().restorable(job.settings().maxStateAgeToRestoreSeconds(), at)
                .map(LatestSavepoint::location).orElse(null);
    }

    private String whyNoSavepoint(FlinkJob job) {
        String which = job.savepoints().latest() == null ? "no savepoint is recorded"
                : job.savepoints().tooOld(job.settings().maxStateAgeToRestoreSeconds());
        return "takeSavepointOnUpdate is false and " + which + ": the new version would start from empty state. "
                + "Set takeSavepointOnUpdate, or change fromSavepoint with the version (clear it to start from empty state)";
    }

    /** The stop savepoint completed (the old version is cancelled meanwhile): the new version starts from it. */
    void savepointCompleted(SavepointAttempt attempt, String location, FlinkJob job) {
        if (phase == Phase.STOPPING && attempt.triggerId().equals(stopTriggerId)) {
            submit(to, location, job);
        }
    }

    /** The stop savepoint failed: the old version runs on, and the stop is tried again after a backoff. */
    void savepointFailed(SavepointAttempt attempt, String cause, FlinkJob job, DeadlineManager deadlines,
                         JobPolicy policy) {
        if (phase == Phase.STOPPING && attempt.triggerId().equals(stopTriggerId)) {
            waitAndRetry(job, "the upgrade's " + cause, deadlines, policy);
        }
    }

    /** The cancel of an upgrade without savepoint did not end the old version. */
    void cancelFailed(FailJobCancel command, FlinkJob job, DeadlineManager deadlines, JobPolicy policy) {
        if (phase == Phase.STOPPING && !takeSavepoint && Objects.equals(command.controlId(), upgradeId)) {
            waitAndRetry(job, "the upgrade's cancel failed: " + command.cause(), deadlines, policy);
        }
    }

    private void waitAndRetry(FlinkJob job, String why, DeadlineManager deadlines, JobPolicy policy) {
        Instant retryAt = now().plus(policy.requestRetries().delay(failedStops + 1));
        apply(new JobUpgradeWaiting(job.jobId(), upgradeId, why + "; the old version runs on, tried again at " + retryAt,
                retryAt));
        deadlines.schedule(retryAt, FlinkJob.UPGRADE_RETRY, retrySchedules);
    }

    boolean isLatestRetry(DeadlineMessage<?> deadline) {
        return Timing.isLatest(deadline, retrySchedules, false);
    }

    boolean isLatestTrial(DeadlineMessage<?> deadline) {
        return Timing.isLatest(deadline, trialSchedules, false);
    }

    /** The old version, cancelled for an upgrade without savepoint, has ended: the new version starts. */
    boolean cancelObserved(JobState observed, FlinkJob job) {
        if (phase != Phase.STOPPING || takeSavepoint || (observed != JobState.CANCELLED && observed != JobState.FINISHED)) {
            return false;
        }
        apply(new JobCancelled(job.jobId(), job.flinkJobId(), null));
        submit(to, savepoint, job);
        return true;
    }

    /** Submits {@code version} from {@code savepoint}, at its JobManager: the old one is done with. */
    private static void submit(JobVersion version, String savepoint, FlinkJob job) {
        if (version.movesFrom(job.run().version())) {
            apply(new JobManagerAddressSet(job.jobId(), version.jobManagerUrl()));
        }
        apply(new JobSubmissionRequested(job.jobId(), version.artifact(), savepoint, version.allowNonRestoredState()));
    }

    /** The new version runs: its trial period starts. */
    void running(FlinkJob job, DeadlineManager deadlines, JobPolicy policy) {
        if (phase == Phase.STARTING) {
            Instant trialEnd = now().plus(policy.upgradeTrialPeriod());
            apply(new JobUpgradeTrialStarted(job.jobId(), upgradeId, job.flinkJobId(), trialEnd));
            deadlines.schedule(trialEnd, FlinkJob.UPGRADE_TRIAL, trialSchedules);
        }
    }

    /** The trial period ended with the new version running: the upgrade succeeded. */
    void trialOver(FlinkJob job) {
        if (phase == Phase.TRIAL && job.state() == JobState.RUNNING) {
            apply(new JobUpgradeSucceeded(job.jobId(), upgradeId, job.flinkJobId(), savepoint));
        }
    }

    /**
     * The new version failed, or could not be submitted, before its trial ended: the previous one is started again
     * from the upgrade's savepoint. Returns whether it was rolled back (a restart then has nothing to do).
     */
    boolean failed(String cause, FlinkJob job) {
        if ((phase != Phase.STARTING && phase != Phase.TRIAL) || savepoint == null) {
            return false;
        }
        JobVersion previous = from;
        String restoreFrom = savepoint;
        apply(new JobUpgradeRolledBack(job.jobId(), upgradeId, job.flinkJobId(), cause, previous.artifact(), restoreFrom));
        submit(previous, restoreFrom, job);
        return true;
    }

    // ---- event sourcing: assignments only ----

    @EventSourcingHandler
    void on(JobRegistered event) {
        end();
        rejected = null;
        refused = null;
        specFromSavepoint = event.settings().fromSavepoint();
        fromSavepointChanged = false;
        lastChangeBy = event.requestedBy();
    }

    @EventSourcingHandler
    void on(JobSettingsChanged event) {
        lastChangeBy = event.requestedBy();
        fromSavepointChanged = fromSavepointChanged
                || !Objects.equals(specFromSavepoint, event.settings().fromSavepoint());
        specFromSavepoint = event.settings().fromSavepoint();
        JobVersion asked = JobVersion.of(event.settings());
        if (rejected != null && !rejected.equals(asked)) {
            rejected = null; // the spec asks for another version: it may be tried
        }
        if (refused != null && !refused.equals(asked)) {
            refused = null;
        }
    }

    @EventSourcingHandler
    void on(JobUpgradeStarted event) {
        upgradeId = event.upgradeId();
        phase = Phase.STOPPING;
        from = event.from();
        to = event.to();
        takeSavepoint = event.takeSavepoint();
        savepoint = event.fromSavepoint();
        failedStops = 0;
        notBefore = null;
        fromSavepointChanged = false;
    }

    @EventSourcingHandler
    void on(SavepointTriggered event) {
        if (event.reason() == TriggerReason.UPDATE && phase != null) {
            stopTriggerId = event.triggerId();
            phase = Phase.STOPPING;
            notBefore = null;
        }
    }

    @EventSourcingHandler
    void on(JobCancelRequested event) {
        if (event.controlId().equals(upgradeId)) {
            phase = Phase.STOPPING;
            notBefore = null;
        }
    }

    @EventSourcingHandler
    void on(JobUpgradeWaiting event) {
        phase = Phase.WAITING;
        failedStops++;
        notBefore = event.retryAt();
        retrySchedules++;
    }

    @EventSourcingHandler
    void on(JobSubmissionRequested event) {
        if (phase == Phase.STOPPING) {
            phase = Phase.STARTING;
            savepoint = event.fromSavepoint();
        }
    }

    @EventSourcingHandler
    void on(JobUpgradeTrialStarted event) {
        phase = Phase.TRIAL;
        trialSchedules++;
    }

    @EventSourcingHandler
    void on(JobUpgradeSucceeded event) {
        end();
    }

    @EventSourcingHandler
    void on(JobUpgradeRolledBack event) {
        rejected = to;
        end();
    }

    @EventSourcingHandler
    void on(JobUpgradeRefused event) {
        refused = event.to();
    }

    private void end() {
        upgradeId = null;
        phase = null;
        from = null;
        to = null;
        savepoint = null;
        stopTriggerId = null;
        notBefore = null;
    }
}

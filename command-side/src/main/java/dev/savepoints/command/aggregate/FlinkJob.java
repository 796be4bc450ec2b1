package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.Timing.firedAt;
import static dev.savepoints.command.aggregate.Timing.now;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.ClusterComponents;
import dev.savepoints.command.api.ClusterComponentsObserved;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.DeregisterJob;
import dev.savepoints.command.api.DisposeSavepoint;
import dev.savepoints.command.api.FailSavepointDisposal;
import dev.savepoints.command.api.PinSavepoint;
import dev.savepoints.command.api.RecordSavepointDisposed;
import dev.savepoints.command.api.UnpinSavepoint;
import dev.savepoints.command.api.FailJobCancel;
import dev.savepoints.command.api.FailJobSubmission;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobManagerHosts;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRegistrationRejected;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.RecordExternalSavepoint;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.RecordRestart;
import dev.savepoints.command.api.ReportClusterComponents;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.ReportJobManagerReachable;
import dev.savepoints.command.api.ReportJobManagerUnreachable;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.command.config.CommandSideConfiguration;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateMember;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One managed Flink job: the FlinkCluster resource of one namespace/name, across its incarnations.
 * Command and deadline handlers decide and apply events; event-sourcing handlers only assign state.
 * Facts about Flink arrive as commands, so everything here is a pure function of the history.
 * <p>The handlers are the entry points; each part of the lifecycle decides in a member of its own:
 * {@link Registration}, {@link FlinkRun} (the job on Flink), {@link SavepointLedger}, {@link Controls},
 * {@link SavepointSchedule}, {@link Restarts}, {@link Upgrades}, {@link SavepointRetention}. A part reads the others through this root, and every event reaches
 * every part's event-sourcing handlers.
 * <p>{@link Revision} is the revision of the snapshot's shape: these fields and their members'. Axon loads only a
 * snapshot of this revision (for {@code @Revision} on an aggregate its configuration adds a
 * {@code RevisionSnapshotFilter}) and loads a job whose latest snapshot has another from its events. Raise it with
 * every change to the fields: Jackson ignores properties it does not know, so a snapshot of an older shape would
 * be read into the new one and silently lose state.
 */
@Aggregate(snapshotTriggerDefinition = CommandSideConfiguration.SNAPSHOT_TRIGGER)
@Revision("5")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class FlinkJob {

    /**
     * Deadline of the next automatic savepoint; it carries the number of its schedule. A deadline superseded by a
     * later schedule is not cancelled but ignored when it fires: Axon's cancel by name reads every deadline of every
     * job (the scale benchmark's bottleneck), and a cancel by id could only follow an id that no event records.
     */
    public static final String AUTO_SAVEPOINT = "auto-savepoint";
    /** Deadline at the end of a restart's backoff; it carries the number of its restart, as the one above. */
    public static final String RESTART = "restart-after-failure";
    /** Deadline at the end of the backoff before a failed generation bump's savepoint is tried again; numbered too. */
    public static final String GENERATION_RETRY = "generation-retry";
    /** Deadline at the end of the backoff before an upgrade whose stop failed tries again; numbered too. */
    public static final String UPGRADE_RETRY = "upgrade-retry";
    /** Deadline at the end of an upgrade's trial period; numbered too. */
    public static final String UPGRADE_TRIAL = "upgrade-trial";
    /** Deadline of the next look at the retained savepoints (age limit, disposal retry); numbered too. */
    public static final String RETENTION_CHECK = "retention-check";

    /**
     * {@code namespace/name} as a String: deadlines persist the identifier with their scope, and a String
     * survives that serialization unchanged where a record would come back as a map.
     */
    @AggregateIdentifier
    private String id;
    private JobId jobId;
    /** The settings of the current incarnation (or the last one): every part decides by them. */
    private JobSettings settings;
    @AggregateMember
    private Registration registration = new Registration();
    /**
     * Stored as {@code state}, the name of the JobState field of snapshots before revision 2: a replica of that
     * version, which would read a snapshot of this shape without its registration, fails on it instead.
     */
    @AggregateMember
    @JsonProperty("state")
    private FlinkRun run = new FlinkRun();
    @AggregateMember
    private SavepointLedger savepoints = new SavepointLedger();
    @AggregateMember
    private Controls controls = new Controls();
    @AggregateMember
    private SavepointSchedule schedule = new SavepointSchedule();
    @AggregateMember
    private Restarts restarts = new Restarts();
    @AggregateMember
    private GenerationRequest generationRequest = new GenerationRequest();
    @AggregateMember
    private Upgrades upgrades = new Upgrades();
    @AggregateMember
    private SavepointRetention retention = new SavepointRetention();
    /** The objects of the Flink cluster the service created for the job, as last seen; null if it created none. */
    private ClusterComponents components;

    protected FlinkJob() {
        // for Axon: creation and event sourcing
    }

    // ---- registration and settings ----

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RegisterJob command, DeadlineManager deadlines, JobManagerHosts hosts, TriggerIds ids,
                       JobPolicy policy) {
        String calledAt = run.jobManagerUrl();
        registration.register(command, this, deadlines, hosts);
        run.addressChanged(calledAt, this);
        upgrades.reconcile(this, ids, now());
        retention.reconcile(this, deadlines, policy, now());
    }

    @CommandHandler
    public void handle(ChangeJobSettings command, DeadlineManager deadlines, JobManagerHosts hosts, TriggerIds ids,
                       JobPolicy policy) {
        String calledAt = run.jobManagerUrl();
        registration.change(command, this, deadlines, hosts);
        run.addressChanged(calledAt, this);
        upgrades.reconcile(this, ids, now());
        retention.reconcile(this, deadlines, policy, now());
    }

    @CommandHandler
    public void handle(DeregisterJob command, JobPolicy policy) {
        boolean disposeOnDeletion = settings != null && settings.retentionOr(policy.retention()).disposesOnDeletion();
        if (registration.deregister(command, this)) {
            retention.deleted(command.disposeSavepoints() != null ? command.disposeSavepoints() : disposeOnDeletion,
                    this, policy, now());
        }
    }

    // ---- savepoints ----

    @CommandHandler
    public Decision handle(TriggerSavepoint command, TriggerIds ids) {
        return command.reason() == TriggerReason.GENERATION_BUMP ? generationRequest.requested(command, this, ids)
                : savepoints.requested(command, this, ids);
    }

    @CommandHandler
    public void handle(CompleteSavepoint command, DeadlineManager deadlines, TriggerIds ids, JobPolicy policy) {
        savepoints.complete(command, this).ifPresent(attempt -> {
            run.stoppedWithSavepoint(attempt, command.location(), this);
            upgrades.savepointCompleted(attempt, command.location(), this);
            controls.savepointCompleted(attempt, command.location(), this);
            schedule.next(this, deadlines);
            takeWaiting(ids, now());
        });
        retention.reconcile(this, deadlines, policy, now());
    }

    @CommandHandler
    public void handle(FailSavepoint command, DeadlineManager deadlines, JobPolicy policy, TriggerIds ids) {
        savepoints.fail(command, this).ifPresent(attempt -> {
            controls.savepointFailed(attempt, SavepointLedger.failure(command), this);
            schedule.savepointFailed(attempt, this, deadlines, policy);
            generationRequest.savepointFailed(attempt, SavepointLedger.failure(command), this, deadlines, policy);
            upgrades.savepointFailed(attempt, SavepointLedger.failure(command), this, deadlines, policy);
            takeWaiting(ids, now());
        });
    }

    @DeadlineHandler(deadlineName = GENERATION_RETRY)
    public void onGenerationRetryDue(@Timestamp Instant due, DeadlineMessage<?> deadline, TriggerIds ids) {
        if (generationRequest.isLatest(deadline)) {
            generationRequest.takeWaiting(this, ids, firedAt(due));
        }
    }

    @DeadlineHandler(deadlineName = UPGRADE_RETRY)
    public void onUpgradeRetryDue(@Timestamp Instant due, DeadlineMessage<?> deadline, TriggerIds ids) {
        if (upgrades.isLatestRetry(deadline)) {
            upgrades.reconcile(this, ids, firedAt(due));
        }
    }

    @DeadlineHandler(deadlineName = UPGRADE_TRIAL)
    public void onUpgradeTrialOver(DeadlineMessage<?> deadline) {
        if (upgrades.isLatestTrial(deadline)) {
            upgrades.trialOver(this);
        }
    }

    /**
     * Whatever waits for the job to be free (running, its JobManager answering, nothing in flight) is taken: an
     * upgrade first, whose stop savepoint serves the others too.
     */
    void takeWaiting(TriggerIds ids, Instant at) {
        upgrades.reconcile(this, ids, at);
        schedule.takeDeferred(this, ids);
        generationRequest.takeWaiting(this, ids, at);
    }

    /** See {@link SavepointLedger#recordExternal}: false asks the caller to ask again later. */
    @CommandHandler
    public boolean handle(RecordExternalSavepoint command, DeadlineManager deadlines, JobPolicy policy) {
        boolean settled = savepoints.recordExternal(command, this);
        retention.reconcile(this, deadlines, policy, now());
        return settled;
    }

    // ---- retention ----

    @CommandHandler
    public Decision handle(DisposeSavepoint command, JobPolicy policy) {
        return retention.dispose(command, this, policy, now());
    }

    @CommandHandler
    public Decision handle(PinSavepoint command) {
        return retention.pin(command, this);
    }

    @CommandHandler
    public Decision handle(UnpinSavepoint command, DeadlineManager deadlines, JobPolicy policy) {
        Decision decision = retention.unpin(command, this);
        retention.reconcile(this, deadlines, policy, now());
        return decision;
    }

    @CommandHandler
    public void handle(RecordSavepointDisposed command, DeadlineManager deadlines, JobPolicy policy) {
        retention.disposed(command, this, now());
        retention.reconcile(this, deadlines, policy, now());
    }

    @CommandHandler
    public void handle(FailSavepointDisposal command, DeadlineManager deadlines, JobPolicy policy) {
        retention.disposalFailed(command, this, policy, now());
        retention.reconcile(this, deadlines, policy, now());
    }

    @DeadlineHandler(deadlineName = RETENTION_CHECK)
    public void onRetentionCheckDue(@Timestamp Instant due, DeadlineMessage<?> deadline, DeadlineManager deadlines,
                                    JobPolicy policy) {
        if (retention.isLatestCheck(deadline)) {
            retention.reconcile(this, deadlines, policy, firedAt(due));
        }
    }

    @DeadlineHandler(deadlineName = AUTO_SAVEPOINT)
    public void onAutomaticSavepointDue(@Timestamp Instant due, DeadlineMessage<?> deadline, DeadlineManager deadlines,
                                        JobPolicy policy, TriggerIds ids) {
        if (schedule.isLatest(deadline)) { // else superseded: a later schedule has a deadline of its own
            schedule.due(firedAt(due), this, deadlines, policy, ids);
        }
    }

    // ---- user controls ----

    @CommandHandler
    public Decision handle(RequestControl command, TriggerIds ids) {
        return controls.request(command, this, ids);
    }

    @CommandHandler
    public void handle(FailJobCancel command, TriggerIds ids, DeadlineManager deadlines, JobPolicy policy) {
        controls.cancelFailed(command, this);
        upgrades.cancelFailed(command, this, deadlines, policy);
        takeWaiting(ids, now());
    }

    // ---- the job on Flink ----

    @CommandHandler
    public void handle(RecordJobSubmitted command, DeadlineManager deadlines, JobPolicy policy) {
        run.submitted(command, this);
        retention.reconcile(this, deadlines, policy, now()); // what the job started from before may go now
    }

    @CommandHandler
    public void handle(FailJobSubmission command, DeadlineManager deadlines, JobPolicy policy) {
        run.submissionFailed(command, this, deadlines, policy);
    }

    @CommandHandler
    public void handle(ReportJobState command, DeadlineManager deadlines, JobPolicy policy, TriggerIds ids) {
        run.observed(command, this, deadlines, policy, ids);
    }

    @CommandHandler
    public void handle(ReportJobManagerUnreachable command) {
        run.jobManagerUnreachable(command, this);
    }

    @CommandHandler
    public void handle(ReportJobManagerReachable command) {
        run.jobManagerReachable(command, this);
    }

    /** What the bridge sees of the objects of the job's Flink cluster is recorded when it changes. */
    @CommandHandler
    public void handle(ReportClusterComponents command) {
        if (registration.follows(command.uid()) && !command.components().equals(components)) {
            apply(new ClusterComponentsObserved(jobId, command.components()));
        }
    }

    // ---- restarts ----

    @DeadlineHandler(deadlineName = RESTART)
    public void onRestartDue(@Timestamp Instant due, DeadlineMessage<?> deadline) {
        if (restarts.isLatest(deadline)) {
            restarts.due(firedAt(due), this);
        }
    }

    @CommandHandler
    public void handle(RecordRestart command, DeadlineManager deadlines, JobPolicy policy) {
        restarts.restarted(command, this);
        retention.reconcile(this, deadlines, policy, now());
    }

    // ---- what the parts read ----

    JobId jobId() {
        return jobId;
    }

    JobSettings settings() {
        return settings;
    }

    boolean registered() {
        return registration.registered();
    }

    void requireRegistered() {
        if (!registered()) {
            throw new IllegalStateException("job " + jobId + " is not registered");
        }
    }

    JobState state() {
        return run.state();
    }

    String flinkJobId() {
        return run.flinkJobId();
    }

    FlinkRun run() {
        return run;
    }

    SavepointLedger savepoints() {
        return savepoints;
    }

    Controls controls() {
        return controls;
    }

    SavepointSchedule schedule() {
        return schedule;
    }

    Restarts restarts() {
        return restarts;
    }

    Upgrades upgrades() {
        return upgrades;
    }

    // ---- event sourcing: assignments only ----

    @EventSourcingHandler
    void on(JobRegistered event) {
        id = event.jobId().toString();
        jobId = event.jobId();
        settings = event.settings();
        components = null; // a new resource: its cluster is seen anew
    }

    @EventSourcingHandler
    void on(ClusterComponentsObserved event) {
        components = event.components();
    }

    @EventSourcingHandler
    void on(JobRegistrationRejected event) {
        id = event.jobId().toString();
        jobId = event.jobId();
    }

    @EventSourcingHandler
    void on(JobSettingsChanged event) {
        settings = event.settings();
    }
}

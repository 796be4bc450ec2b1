package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.Timing.firedAt;
import static dev.savepoints.command.aggregate.Timing.isLatest;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.DeregisterJob;
import dev.savepoints.command.api.FailJobSubmission;
import dev.savepoints.command.api.FailSavepoint;
import dev.savepoints.command.api.FailJobCancel;
import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobEvent;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobManagerReachable;
import dev.savepoints.command.api.JobManagerUnreachable;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRegistrationRejected;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobSettingsRejected;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmissionFailed;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.RecordExternalSavepoint;
import dev.savepoints.command.api.RecordRestart;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.ReportJobManagerReachable;
import dev.savepoints.command.api.ReportJobManagerUnreachable;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RestartedFromSavepoint;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.command.config.CommandSideConfiguration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
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
 * <p>{@link Revision} is the revision of the snapshot's shape: these fields and their members'. Axon loads only a
 * snapshot of this revision (for {@code @Revision} on an aggregate its configuration adds a
 * {@code RevisionSnapshotFilter}) and loads a job whose latest snapshot has another from its events. Raise it with
 * every change to the fields: Jackson ignores properties it does not know, so a snapshot of an older shape would
 * be read into the new one and silently lose state.
 */
@Aggregate(snapshotTriggerDefinition = CommandSideConfiguration.SNAPSHOT_TRIGGER)
@Revision("2")
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

    /**
     * {@code namespace/name} as a String: deadlines persist the identifier with their scope, and a String
     * survives that serialization unchanged where a record would come back as a map.
     */
    @AggregateIdentifier
    private String id;
    private JobId jobId;
    private String uid;
    private int incarnation;
    private boolean registered;
    private JobSettings settings;
    private JobSettings rejectedSettings;
    private JobState state;
    private String flinkJobId;
    @AggregateMember
    private SavepointLedger savepoints = new SavepointLedger();
    @AggregateMember
    private Controls controls = new Controls();
    @AggregateMember
    private Restarts restarts = new Restarts();
    @AggregateMember
    private SavepointSchedule schedule = new SavepointSchedule();
    /** The observer could not reach the JobManager since this time; null while it answers. */
    private Instant jobManagerUnreachableSince;
    protected FlinkJob() {
        // for Axon: creation and event sourcing
    }

    // ---- registration and settings ----

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RegisterJob command, DeadlineManager deadlines, dev.savepoints.command.api.JobManagerHosts hosts) {
        if (registered && Objects.equals(uid, command.uid())) {
            changeSettings(command.jobId(), command.settings(), command.requestedBy(), deadlines, hosts);
            return;
        }
        Optional<String> violation = JobSettingsRules.firstViolation(command.settings(), hosts);
        if (violation.isPresent()) {
            if (!command.settings().equals(rejectedSettings)) {
                apply(new JobRegistrationRejected(command.jobId(), command.uid(), command.settings(), violation.get(),
                        command.requestedBy()));
            }
            return;
        }
        if (registered) {
            endIncarnation("replaced by a new FlinkCluster with uid " + command.uid(), command.requestedBy());
        }
        apply(new JobRegistered(command.jobId(), command.uid(), incarnation + 1, command.settings(), command.requestedBy()));
        if (settings.artifact() != null) {
            apply(new JobSubmissionRequested(jobId, settings.artifact(), settings.fromSavepoint(),
                    settings.allowNonRestoredState()));
        }
    }

    @CommandHandler
    public void handle(ChangeJobSettings command, DeadlineManager deadlines, dev.savepoints.command.api.JobManagerHosts hosts) {
        if (!registered) {
            apply(new JobSettingsRejected(jobId, command.settings(), "the job is not registered", command.requestedBy()));
            return;
        }
        changeSettings(jobId, command.settings(), command.requestedBy(), deadlines, hosts);
    }

    private void changeSettings(JobId id, JobSettings requested, RequestedBy requestedBy, DeadlineManager deadlines,
                                dev.savepoints.command.api.JobManagerHosts hosts) {
        if (requested.equals(settings)) {
            return;
        }
        Optional<String> violation = JobSettingsRules.firstViolation(requested, hosts);
        if (violation.isPresent()) {
            if (!requested.equals(rejectedSettings)) {
                apply(new JobSettingsRejected(id, requested, violation.get(), requestedBy));
            }
            return;
        }
        boolean scheduleChanged = !Objects.equals(requested.autoSavepointSeconds(), settings.autoSavepointSeconds())
                || requested.automaticSavepoints() != settings.automaticSavepoints();
        boolean neverStarted = state == JobState.PENDING || (state == JobState.FAILED && flinkJobId == null);
        boolean runChanged = !Objects.equals(requested.artifact(), settings.artifact())
                || !Objects.equals(requested.fromSavepoint(), settings.fromSavepoint());
        apply(new JobSettingsChanged(id, requested, requestedBy));
        if (neverStarted && runChanged && settings.artifact() != null) {
            // a job Flink never ran (no jar yet, or its submission failed) is submitted with the corrected spec
            apply(new JobSubmissionRequested(jobId, settings.artifact(), settings.fromSavepoint(),
                    settings.allowNonRestoredState()));
        }
        if (scheduleChanged) {
            schedule.intervalChanged(this, deadlines);
        }
    }

    @CommandHandler
    public void handle(DeregisterJob command) {
        if (!registered || (command.uid() != null && !command.uid().equals(uid))) {
            return; // already gone, or the deletion of an older incarnation arriving late
        }
        endIncarnation("the FlinkCluster was deleted", command.requestedBy());
    }

    private void endIncarnation(String reason, RequestedBy requestedBy) {
        controls.deregistered(reason, this);
        apply(new JobDeregistered(jobId, uid, reason, requestedBy));
    }

    // ---- savepoints ----

    @CommandHandler
    public Decision handle(TriggerSavepoint command, TriggerIds ids) {
        return savepoints.requested(command, this, ids);
    }

    @CommandHandler
    public void handle(CompleteSavepoint command, DeadlineManager deadlines) {
        savepoints.complete(command, this).ifPresent(attempt -> {
            if (attempt.stopJob() && Objects.equals(attempt.flinkJobId(), flinkJobId) && !state.terminal()) {
                apply(new JobCancelled(jobId, flinkJobId, command.location()));
            }
            controls.savepointCompleted(attempt, command.location(), this);
            schedule.next(this, deadlines);
        });
    }

    @CommandHandler
    public void handle(FailSavepoint command, DeadlineManager deadlines, JobPolicy policy) {
        savepoints.fail(command, this).ifPresent(attempt -> {
            controls.savepointFailed(attempt, SavepointLedger.failure(command), this);
            schedule.savepointFailed(attempt, this, deadlines, policy);
        });
    }

    /** See {@link SavepointLedger#recordExternal}: false asks the caller to ask again later. */
    @CommandHandler
    public boolean handle(RecordExternalSavepoint command) {
        return savepoints.recordExternal(command, this);
    }

    @DeadlineHandler(deadlineName = AUTO_SAVEPOINT)
    public void onAutomaticSavepointDue(@Timestamp Instant due, DeadlineMessage<?> deadline, DeadlineManager deadlines,
                                        JobPolicy policy, TriggerIds ids) {
        if (schedule.isLatest(deadline)) { // else superseded: a later schedule has a deadline of its own
            schedule.due(firedAt(due), this, deadlines, policy, ids);
        }
    }

    /** Why no savepoint or control can be taken of the job on Flink: it does not run, or its JobManager is away. */
    Optional<String> whyNotRunning() {
        if (state != JobState.RUNNING || flinkJobId == null) {
            return Optional.of("the job is not running (state " + state.statusValue() + ")");
        }
        if (jobManagerUnreachableSince != null) {
            return Optional.of(unreachable());
        }
        return Optional.empty();
    }

    String unreachable() {
        return "the JobManager cannot be reached since " + jobManagerUnreachableSince;
    }

    // ---- user controls ----

    @CommandHandler
    public Decision handle(RequestControl command, TriggerIds ids) {
        return controls.request(command, this, ids);
    }

    @CommandHandler
    public void handle(FailJobCancel command) {
        controls.cancelFailed(command, this);
    }

    // ---- the job on Flink ----

    @CommandHandler
    public void handle(RecordJobSubmitted command) {
        requireRegistered();
        if (command.flinkJobId().equals(flinkJobId)) {
            return; // a repeated report
        }
        if (state != JobState.PENDING) {
            throw new IllegalStateException("job " + jobId + " is not waiting for a submission (state " + state + ")");
        }
        jobManagerAnswered();
        apply(new JobSubmitted(jobId, command.flinkJobId(), settings.fromSavepoint()));
    }

    @CommandHandler
    public void handle(FailJobSubmission command, DeadlineManager deadlines, JobPolicy policy) {
        requireRegistered();
        if (state != JobState.PENDING && state != JobState.RESTARTING) {
            return; // a stale report: the job was submitted meanwhile
        }
        apply(new JobSubmissionFailed(jobId, command.cause()));
        if (restarts.restarting()) {
            restarts.decide(this, deadlines, policy); // a failed restart is retried with the next, longer backoff
        }
    }

    @CommandHandler
    public void handle(ReportJobState command, DeadlineManager deadlines, JobPolicy policy,
                       TriggerIds ids) {
        JobState observed = command.state();
        if (observed == null || !observed.observable()) {
            throw new IllegalArgumentException("a job cannot be observed in state " + observed);
        }
        if (!registered || !Objects.equals(command.flinkJobId(), flinkJobId)) {
            return; // not ours
        }
        jobManagerAnswered(); // whatever it said
        if (observed == state || state.terminal() || state == JobState.RESTARTING) {
            if (observed == JobState.RUNNING && state == JobState.RUNNING) {
                schedule.takeDeferred(this, ids);
            }
            return; // stale, or nothing new: a terminal Flink job does not come back
        }
        if ((observed == JobState.FINISHED || observed == JobState.CANCELLED)
                && savepoints.inFlight().filter(SavepointAttempt::stopJob).isPresent()) {
            return; // a stop with savepoint ends the job before Flink reports the savepoint: its result decides
        }
        if (controls.cancelObserved(observed, this)) {
            return;
        }
        if (observed == JobState.FAILED) {
            apply(new JobFailed(jobId, flinkJobId, command.cause()));
        } else {
            apply(new JobStateChanged(jobId, flinkJobId, state, observed));
        }
        if (observed.terminal()) {
            controls.jobEnded(observed, command.cause(), this);
        }
        if (observed == JobState.RUNNING) {
            schedule.next(this, deadlines);
            schedule.takeDeferred(this, ids);
        }
        if (observed == JobState.FAILED || observed == JobState.LOST) {
            restarts.decide(this, deadlines, policy);
        }
    }

    /** The observer lost the JobManager of the job Flink runs for this incarnation: its state is unconfirmed. */
    @CommandHandler
    public void handle(ReportJobManagerUnreachable command) {
        if (!registered || !Objects.equals(command.flinkJobId(), flinkJobId) || jobManagerUnreachableSince != null
                || (state != JobState.DEPLOYING && state != JobState.RUNNING)) {
            return; // not ours, known already, or a job whose state no JobManager has to confirm
        }
        apply(new JobManagerUnreachable(jobId, flinkJobId, command.since(), command.failedRounds(), command.cause()));
    }

    /**
     * The JobManager answers again. A savepoint that fell due meanwhile waits for the job's state it reports next:
     * the job may be gone from a JobManager that restarted.
     */
    @CommandHandler
    public void handle(ReportJobManagerReachable command) {
        if (!registered || !Objects.equals(command.flinkJobId(), flinkJobId)) {
            return;
        }
        jobManagerAnswered();
    }

    void jobManagerAnswered() {
        if (jobManagerUnreachableSince != null) {
            apply(new JobManagerReachable(jobId, flinkJobId, jobManagerUnreachableSince));
        }
    }

    @DeadlineHandler(deadlineName = RESTART)
    public void onRestartDue(@Timestamp Instant due, DeadlineMessage<?> deadline) {
        if (restarts.isLatest(deadline)) {
            restarts.due(firedAt(due), this);
        }
    }

    @CommandHandler
    public void handle(RecordRestart command) {
        restarts.restarted(command, this);
    }

    // ---- helpers ----

    void requireRegistered() {
        if (!registered) {
            throw new IllegalStateException("job " + jobId + " is not registered");
        }
    }

    // ---- what the parts read ----

    JobId jobId() {
        return jobId;
    }

    boolean registered() {
        return registered;
    }

    JobSettings settings() {
        return settings;
    }

    JobState state() {
        return state;
    }

    String flinkJobId() {
        return flinkJobId;
    }

    boolean jobManagerUnreachable() {
        return jobManagerUnreachableSince != null;
    }

    SavepointLedger savepoints() {
        return savepoints;
    }

    Controls controls() {
        return controls;
    }

    // ---- event sourcing: assignments only ----

    /** The job's state after {@code event}: the one mapping of events to states, which every read model follows. */
    private void follow(JobEvent event) {
        state = (state == null ? JobState.PENDING : state).after(event);
    }

    @EventSourcingHandler
    void on(JobRegistered event) {
        id = event.jobId().toString();
        jobId = event.jobId();
        uid = event.uid();
        incarnation = event.incarnation();
        registered = true;
        settings = event.settings();
        rejectedSettings = null;
        follow(event);
        flinkJobId = null;
        jobManagerUnreachableSince = null;
    }

    @EventSourcingHandler
    void on(JobRegistrationRejected event) {
        id = event.jobId().toString();
        jobId = event.jobId();
        rejectedSettings = event.settings();
        if (state == null) {
            follow(event);
        }
    }

    @EventSourcingHandler
    void on(JobSettingsChanged event) {
        settings = event.settings();
        rejectedSettings = null;
    }

    @EventSourcingHandler
    void on(JobSettingsRejected event) {
        rejectedSettings = event.settings();
    }

    @EventSourcingHandler
    void on(JobDeregistered event) {
        registered = false;
        follow(event);
    }

    @EventSourcingHandler
    void on(JobSubmissionRequested event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobSubmitted event) {
        flinkJobId = event.flinkJobId();
        follow(event);
    }

    @EventSourcingHandler
    void on(JobSubmissionFailed event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobStateChanged event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobFailed event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobRestartScheduled event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobRestartRefused event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(RestartedFromSavepoint event) {
        flinkJobId = event.flinkJobId();
        follow(event);
    }

    @EventSourcingHandler
    void on(JobCancelled event) {
        follow(event);
    }

    @EventSourcingHandler
    void on(JobManagerUnreachable event) {
        jobManagerUnreachableSince = event.since();
    }

    @EventSourcingHandler
    void on(JobManagerReachable event) {
        jobManagerUnreachableSince = null;
    }
}

package dev.savepoints.query.audit;

import dev.savepoints.command.api.Texts;
import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.DisposalReason;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRegistrationRejected;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobSettingsRejected;
import dev.savepoints.command.api.JobSubmissionFailed;
import dev.savepoints.command.api.JobUpgradeRefused;
import dev.savepoints.command.api.JobUpgradeRolledBack;
import dev.savepoints.command.api.JobUpgradeStarted;
import dev.savepoints.command.api.JobUpgradeSucceeded;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RestartedFromSavepoint;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointDisposalFailed;
import dev.savepoints.command.api.SavepointDisposalRefused;
import dev.savepoints.command.api.SavepointDisposalRequested;
import dev.savepoints.command.api.SavepointDisposed;
import dev.savepoints.command.api.SavepointPinRefused;
import dev.savepoints.command.api.SavepointPinned;
import dev.savepoints.command.api.SavepointUnpinned;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.query.QueryProjections;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.stereotype.Component;

/**
 * The audit log: one row per control action from every entry point (spec, annotation, REST, schedule, failure
 * handling), with its decision and, once known, its outcome. Rows are tied to their events by event, trigger and
 * control ids.
 */
@Component
@ProcessingGroup(QueryProjections.PROCESSING_GROUP)
public class AuditProjection {

    static final String RESTART = "restart";
    static final String UPGRADE = "upgrade";
    private static final RequestedBy FAILURE_HANDLING = RequestedBy.service(Source.FAILURE_HANDLING);

    private final AuditRepository audit;

    public AuditProjection(AuditRepository audit) {
        this.audit = audit;
    }

    /** What a row is about when it is recorded. */
    private record Entry(String eventId, long globalIndex, Instant at) {
    }

    @EventHandler
    void on(JobRegistered event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        accepted(entry(id, token, at), event.jobId(), "register", event.requestedBy(), null, null);
    }

    @EventHandler
    void on(JobRegistrationRejected event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        rejected(entry(id, token, at), event.jobId(), "register", event.requestedBy(), event.reason());
    }

    @EventHandler
    void on(JobSettingsChanged event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        accepted(entry(id, token, at), event.jobId(), "change-settings", event.requestedBy(), null, null);
    }

    @EventHandler
    void on(JobSettingsRejected event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        rejected(entry(id, token, at), event.jobId(), "change-settings", event.requestedBy(), event.reason());
    }

    @EventHandler
    void on(JobDeregistered event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        accepted(entry(id, token, at), event.jobId(), "deregister", event.requestedBy(), null, null);
    }

    @EventHandler
    void on(SavepointTriggered event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        if (event.controlId() != null) {
            audit.findFirstByControlIdOrderByGlobalIndexDesc(event.controlId()).ifPresent(row -> {
                row.triggerId = event.triggerId();
                audit.save(row);
            });
            return; // part of the control's row
        }
        accepted(entry(id, token, at), event.jobId(), savepointAction(event.reason()), event.requestedBy(),
                event.triggerId(), null);
    }

    @EventHandler
    void on(SavepointRejected event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        rejected(entry(id, token, at), event.jobId(), savepointAction(event.reason()), event.requestedBy(), event.cause());
    }

    @EventHandler
    void on(SavepointCompleted event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        if (event.reason() == TriggerReason.EXTERNAL) {
            AuditRow row = row(entry(id, token, at), event.jobId(), savepointAction(event.reason()),
                    new RequestedBy("unknown (outside the service)", Source.FLINK, null), "ACCEPTED", null);
            row.triggerId = event.triggerId();
            outcome(row, "SUCCEEDED", event.location(), at);
            return;
        }
        if (event.late()) {
            // It had been failed as timed out; what the user asked for happened after all.
            audit.findFirstByTriggerIdAndOutcomeOrderByGlobalIndexDesc(event.triggerId(), "FAILED")
                    .ifPresent(row -> outcome(row, "SUCCEEDED", "completed after the timeout at " + event.location(), at));
            return;
        }
        audit.findFirstByTriggerIdAndOutcomeIsNullOrderByGlobalIndexDesc(event.triggerId())
                .ifPresent(row -> outcome(row, "SUCCEEDED", event.location(), at));
    }

    @EventHandler
    void on(SavepointFailed event, @Timestamp Instant at) {
        audit.findFirstByTriggerIdAndOutcomeIsNullOrderByGlobalIndexDesc(event.triggerId())
                .ifPresent(row -> outcome(row, "FAILED", event.cause(), at));
    }

    @EventHandler
    void on(ControlRequested event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        accepted(entry(id, token, at), event.jobId(), "control:" + event.name().value(), event.requestedBy(), null,
                event.controlId());
    }

    @EventHandler
    void on(ControlRejected event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        rejected(entry(id, token, at), event.jobId(), "control:" + event.name(), event.requestedBy(), event.reason());
    }

    @EventHandler
    void on(ControlSucceeded event, @Timestamp Instant at) {
        audit.findFirstByControlIdOrderByGlobalIndexDesc(event.controlId())
                .ifPresent(row -> outcome(row, "SUCCEEDED", event.savepointLocation(), at));
    }

    @EventHandler
    void on(ControlFailed event, @Timestamp Instant at) {
        audit.findFirstByControlIdOrderByGlobalIndexDesc(event.controlId())
                .ifPresent(row -> outcome(row, "FAILED", event.message(), at));
    }

    @EventHandler
    void on(JobRestartScheduled event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        AuditRow row = row(entry(id, token, at), event.jobId(), RESTART, FAILURE_HANDLING, "ACCEPTED", null);
        row.outcomeDetail = "from " + event.savepointLocation() + ", attempt " + event.attempt();
        audit.save(row);
    }

    @EventHandler
    void on(JobRestartRefused event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        Optional<AuditRow> pending = openRestart(event.jobId());
        if (pending.isPresent()) {
            outcome(pending.get(), "FAILED", event.reason(), at);
        } else {
            rejected(entry(id, token, at), event.jobId(), RESTART, FAILURE_HANDLING, event.reason());
        }
    }

    @EventHandler
    void on(RestartedFromSavepoint event, @Timestamp Instant at) {
        openRestart(event.jobId()).ifPresent(row -> outcome(row, "SUCCEEDED",
                "Flink job " + event.flinkJobId() + " from " + event.savepointLocation(), at));
    }

    @EventHandler
    void on(JobSubmissionFailed event, @Timestamp Instant at) {
        openRestart(event.jobId()).ifPresent(row -> outcome(row, "FAILED", event.cause(), at));
    }

    /** An upgrade is one action, tied to its steps by its id (kept as the row's control id). */
    @EventHandler
    void on(JobUpgradeStarted event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        AuditRow row = row(entry(id, token, at), event.jobId(), UPGRADE, event.requestedBy(), "ACCEPTED", null);
        row.controlId = event.upgradeId();
        row.outcomeDetail = (event.takeSavepoint() ? "stop with savepoint, then " : "cancel, then ") + "start "
                + Texts.fit(event.to().artifact() + event.to().whereMovedFrom(event.from()), 512);
        audit.save(row);
    }

    @EventHandler
    void on(JobUpgradeSucceeded event, @Timestamp Instant at) {
        audit.findFirstByControlIdOrderByGlobalIndexDesc(event.upgradeId()).ifPresent(row -> outcome(row, "SUCCEEDED",
                "runs as Flink job " + event.flinkJobId() + " from " + event.fromSavepoint(), at));
    }

    @EventHandler
    void on(JobUpgradeRolledBack event, @Timestamp Instant at) {
        audit.findFirstByControlIdOrderByGlobalIndexDesc(event.upgradeId()).ifPresent(row -> outcome(row, "FAILED",
                "rolled back: " + event.cause() + "; the previous version runs again from " + event.savepoint(), at));
    }

    @EventHandler
    void on(JobUpgradeRefused event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        rejected(entry(id, token, at), event.jobId(), UPGRADE, event.requestedBy(), event.reason());
    }

    /** Each disposal attempt is a row; its outcome is whether the files went. */
    @EventHandler
    void on(SavepointDisposalRequested event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        AuditRow row = row(entry(id, token, at), event.jobId(), disposalAction(event.reason()), event.requestedBy(),
                "ACCEPTED", null);
        row.triggerId = event.triggerId();
        row.outcomeDetail = Texts.fit(event.location() + ", attempt " + event.attempt(), 512);
        audit.save(row);
    }

    @EventHandler
    void on(SavepointDisposalRefused event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        AuditRow row = row(entry(id, token, at), event.jobId(), disposalAction(DisposalReason.USER), event.requestedBy(),
                "REJECTED", event.cause());
        row.triggerId = event.triggerId();
        audit.save(row);
    }

    @EventHandler
    void on(SavepointDisposed event, @Timestamp Instant at) {
        openDisposal(event.triggerId(), event.reason()).ifPresent(row -> outcome(row, "SUCCEEDED",
                "files gone (" + event.method().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): "
                        + event.location(), at));
    }

    @EventHandler
    void on(SavepointDisposalFailed event, @Timestamp Instant at) {
        openDisposal(event.triggerId(), event.reason()).ifPresent(row -> outcome(row, "FAILED",
                event.cause() + "; tried again at " + event.retryAt(), at));
    }

    @EventHandler
    void on(SavepointPinned event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        pinning(entry(id, token, at), event.jobId(), "pin", event.requestedBy(), event.triggerId(), event.location());
    }

    @EventHandler
    void on(SavepointUnpinned event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        pinning(entry(id, token, at), event.jobId(), "unpin", event.requestedBy(), event.triggerId(), event.location());
    }

    @EventHandler
    void on(SavepointPinRefused event, @MessageIdentifier String id, TrackingToken token, @Timestamp Instant at) {
        AuditRow row = row(entry(id, token, at), event.jobId(), event.pin() ? "pin" : "unpin", event.requestedBy(),
                "REJECTED", event.cause());
        row.triggerId = event.triggerId();
        audit.save(row);
    }

    private void pinning(Entry entry, JobId jobId, String action, RequestedBy by, String triggerId, String location) {
        AuditRow row = row(entry, jobId, action, by, "ACCEPTED", null);
        row.triggerId = triggerId;
        outcome(row, "SUCCEEDED", location, entry.at());
    }

    private Optional<AuditRow> openDisposal(String triggerId, DisposalReason reason) {
        return audit.findFirstByTriggerIdAndActionAndOutcomeIsNullOrderByGlobalIndexDesc(triggerId, disposalAction(reason));
    }

    private static String disposalAction(DisposalReason reason) {
        return "dispose:" + reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @ResetHandler
    void reset() {
        audit.deleteAllInBatch();
    }

    private Optional<AuditRow> openRestart(JobId jobId) {
        return audit.findFirstByJobIdAndActionAndOutcomeIsNullOrderByGlobalIndexDesc(jobId.toString(), RESTART);
    }

    private static String savepointAction(TriggerReason reason) {
        return "savepoint:" + reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * A token's position is the furthest event its processor has seen. For an event that fills a gap (committed
     * after one with a higher index, as concurrent commands do) that is the other event's index, which would give
     * two rows one sequence; so the sequence is read from the event store.
     */
    private Entry entry(String eventId, TrackingToken token, Instant at) {
        long index = audit.globalIndexOf(eventId).orElseGet(() -> token == null ? -1 : token.position().orElse(-1));
        return new Entry(eventId, index, at);
    }

    private void accepted(Entry entry, JobId jobId, String action, RequestedBy by, String triggerId, String controlId) {
        AuditRow row = row(entry, jobId, action, by, "ACCEPTED", null);
        row.triggerId = triggerId;
        row.controlId = controlId;
        audit.save(row);
    }

    private void rejected(Entry entry, JobId jobId, String action, RequestedBy by, String reason) {
        audit.save(row(entry, jobId, action, by, "REJECTED", reason));
    }

    private static AuditRow row(Entry entry, JobId jobId, String action, RequestedBy by, String decision, String reason) {
        AuditRow row = new AuditRow();
        row.eventId = entry.eventId();
        row.globalIndex = entry.globalIndex();
        row.at = entry.at();
        row.jobId = jobId.toString();
        row.namespace = jobId.namespace();
        row.name = jobId.name();
        row.action = Texts.fit(action, 64);
        row.source = by.source().name();
        row.actor = by.actor();
        row.decision = decision;
        row.reason = reason;
        return row;
    }

    private void outcome(AuditRow row, String outcome, String detail, Instant at) {
        row.outcome = outcome;
        row.outcomeDetail = detail == null ? row.outcomeDetail : detail;
        row.outcomeAt = at;
        audit.save(row);
    }
}

package dev.savepoints.command.aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.savepoints.command.aggregate.RetainedSavepoint.Disposal;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.DisposalReason;
import dev.savepoints.command.api.DisposeSavepoint;
import dev.savepoints.command.api.FailSavepointDisposal;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRestartRequested;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.PinSavepoint;
import dev.savepoints.command.api.RecordSavepointDisposed;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RetentionCheckScheduled;
import dev.savepoints.command.api.RetentionPolicy;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointDisposalFailed;
import dev.savepoints.command.api.SavepointDisposalRefused;
import dev.savepoints.command.api.SavepointDisposalRequested;
import dev.savepoints.command.api.SavepointDisposed;
import dev.savepoints.command.api.SavepointPinRefused;
import dev.savepoints.command.api.SavepointPinned;
import dev.savepoints.command.api.SavepointUnpinned;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.Texts;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.UnpinSavepoint;
import dev.savepoints.command.api.status.LatestSavepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * The completed savepoints a job keeps, and which of them it disposes of (an aggregate member). The retention
 * policy marks savepoints beyond its count or age; one that something needs is kept whatever the policy says
 * ({@link #protection}). A disposal is a decision ({@link SavepointDisposalRequested}) that a saga carries out; the
 * savepoint is forgotten only when its files are reported gone ({@link SavepointDisposed}); a failed disposal is
 * tried again after a backoff, at a {@code retention-check} deadline that also falls when the oldest kept
 * savepoint reaches the age limit. Each check carries its number; a superseded one does nothing.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
class SavepointRetention {

    private static final RequestedBy POLICY = RequestedBy.service(Source.RETENTION_POLICY);

    private int incarnation;
    private List<RetainedSavepoint> retained = new ArrayList<>();
    /** The savepoint the Flink job of this incarnation was last submitted or restarted from. */
    private String restoredFrom;
    private long checks;
    private Instant checkDueAt;

    // ---- decisions ----

    Decision dispose(DisposeSavepoint command, FlinkJob job, JobPolicy policy, Instant at) {
        Optional<RetainedSavepoint> found = find(command.triggerId());
        Optional<String> refusal = found.isEmpty() ? Optional.of(notRetained(command.triggerId()))
                : found.get().disposal() == Disposal.REQUESTED ? Optional.of("its disposal is in progress")
                : protection(found.get(), job, rules(job, policy), true);
        if (refusal.isPresent()) {
            apply(new SavepointDisposalRefused(job.jobId(), command.triggerId(), refusal.get(), command.requestedBy()));
            return Decision.rejected(refusal.get());
        }
        request(job, found.get(), DisposalReason.USER, command.requestedBy(), at);
        return Decision.accepted(command.triggerId());
    }

    Decision pin(PinSavepoint command, FlinkJob job) {
        Optional<RetainedSavepoint> found = find(command.triggerId());
        Optional<String> refusal = found.isEmpty() ? Optional.of(notRetained(command.triggerId()))
                : found.get().disposal() == Disposal.REQUESTED ? Optional.of("its disposal is in progress")
                : Optional.empty();
        if (refusal.isPresent()) {
            apply(new SavepointPinRefused(job.jobId(), command.triggerId(), true, refusal.get(), command.requestedBy()));
            return Decision.rejected(refusal.get());
        }
        if (found.get().pinned()) {
            return Decision.duplicate(command.triggerId(), "the savepoint is pinned already");
        }
        apply(new SavepointPinned(job.jobId(), command.triggerId(), found.get().location(), command.requestedBy()));
        return Decision.accepted(command.triggerId());
    }

    Decision unpin(UnpinSavepoint command, FlinkJob job) {
        Optional<RetainedSavepoint> found = find(command.triggerId());
        if (found.isEmpty()) {
            String refusal = notRetained(command.triggerId());
            apply(new SavepointPinRefused(job.jobId(), command.triggerId(), false, refusal, command.requestedBy()));
            return Decision.rejected(refusal);
        }
        if (!found.get().pinned()) {
            return Decision.duplicate(command.triggerId(), "the savepoint is not pinned");
        }
        apply(new SavepointUnpinned(job.jobId(), command.triggerId(), found.get().location(), command.requestedBy()));
        return Decision.accepted(command.triggerId());
    }

    /** The files are gone; a report of an attempt that is not the one under way (repeated, late) changes nothing. */
    void disposed(RecordSavepointDisposed command, FlinkJob job, Instant at) {
        underWay(command.triggerId(), command.attempt()).ifPresent(s -> apply(new SavepointDisposed(job.jobId(),
                s.triggerId(), s.location(), s.reason(), command.method(), s.attempts(), at)));
    }

    void disposalFailed(FailSavepointDisposal command, FlinkJob job, JobPolicy policy, Instant at) {
        underWay(command.triggerId(), command.attempt()).ifPresent(s -> apply(new SavepointDisposalFailed(job.jobId(),
                s.triggerId(), s.location(), s.reason(), command.cause(), s.attempts(), at,
                at.plus(policy.disposalRetries().delay(s.attempts())))));
    }

    /** The FlinkCluster was deleted: with disposal asked for, every savepoint of it that is not pinned goes. */
    void deleted(boolean disposeSavepoints, FlinkJob job, JobPolicy policy, Instant at) {
        if (!disposeSavepoints) {
            return;
        }
        RetentionPolicy rules = rules(job, policy);
        for (RetainedSavepoint s : List.copyOf(retained)) {
            if (counted(s, rules)) {
                request(job, s, DisposalReason.DELETION, POLICY, at);
            }
        }
    }

    /**
     * Applies the policy at {@code at}: failed disposals whose wait is over are tried again, savepoints it no longer
     * keeps are disposed of unless protected; then the next check is scheduled if it falls before the one pending.
     */
    void reconcile(FlinkJob job, DeadlineManager deadlines, JobPolicy policy, Instant at) {
        RetentionPolicy rules = rules(job, policy);
        for (RetainedSavepoint s : List.copyOf(retained)) {
            if (s.disposal() == Disposal.FAILED && !s.retryAt().isAfter(at) && mayRetry(s, job, rules)) {
                request(job, s, s.reason(), POLICY, at);
            }
        }
        if (job.registered()) {
            expired(rules, at).forEach((s, why) -> {
                if (protection(s, job, rules, false).isEmpty()) {
                    request(job, s, why, POLICY, at);
                }
            });
        }
        Instant next = nextCheck(job, rules, at);
        if (next != null && (checkDueAt == null || !checkDueAt.isAfter(at) || next.isBefore(checkDueAt))) {
            apply(new RetentionCheckScheduled(job.jobId(), next));
            deadlines.schedule(next, FlinkJob.RETENTION_CHECK, checks);
        }
    }

    boolean isLatestCheck(DeadlineMessage<?> deadline) {
        return Timing.isLatest(deadline, checks, false);
    }

    /**
     * Why {@code s} must be kept now, whatever the policy says; empty when nothing needs it. By hand, a savepoint
     * taken outside the service may be disposed of: the user asked for that one.
     */
    Optional<String> protection(RetainedSavepoint s, FlinkJob job, RetentionPolicy rules, boolean byHand) {
        if (pinned(s, rules)) {
            return Optional.of(s.pinned() ? "the savepoint is pinned"
                    : "the savepoint is pinned by the annotation " + RetentionPolicy.PIN_ANNOTATION);
        }
        if (job.registered()) {
            LatestSavepoint latest = job.savepoints().latest();
            if (latest != null && latest.location().equals(s.location())) {
                return Optional.of("it is the job's latest completed savepoint: a restart would need it");
            }
            if (s.location().equals(restoredFrom)) {
                return Optional.of("the running job started from it");
            }
            if (s.location().equals(job.settings().fromSavepoint())) {
                return Optional.of("spec.job.fromSavepoint names it");
            }
        }
        if (s.location().equals(job.upgrades().dependsOn())) {
            return Optional.of("the upgrade in progress starts from it");
        }
        if (!byHand && s.external() && !rules.disposesExternal()) {
            return Optional.of("it was taken outside the service (retention.disposeExternal is not set)");
        }
        return Optional.empty();
    }

    // ---- what the policy decides ----

    /** The savepoints of this incarnation that the policy no longer keeps, with why: beyond the count, or too old. */
    private Map<RetainedSavepoint, DisposalReason> expired(RetentionPolicy rules, Instant at) {
        Map<RetainedSavepoint, DisposalReason> expired = new LinkedHashMap<>();
        List<RetainedSavepoint> newestFirst = candidates(rules);
        Duration maxAge = rules.maxAge();
        for (int i = 0; i < newestFirst.size(); i++) {
            RetainedSavepoint s = newestFirst.get(i);
            if (rules.limitsCount() && i >= rules.maxCount()) {
                expired.put(s, DisposalReason.MAX_COUNT);
            } else if (maxAge != null && !s.completedAt().plus(maxAge).isAfter(at)) {
                expired.put(s, DisposalReason.MAX_AGE);
            }
        }
        return expired;
    }

    /** What the policy counts, newest first. */
    private List<RetainedSavepoint> candidates(RetentionPolicy rules) {
        return retained.stream().filter(s -> counted(s, rules))
                .sorted(Comparator.comparing(RetainedSavepoint::completedAt).reversed())
                .toList();
    }

    /** Whether the policy counts {@code s}: of this incarnation, kept, not pinned, and not external unless it disposes of those. */
    private boolean counted(RetainedSavepoint s, RetentionPolicy rules) {
        return s.incarnation() == incarnation && s.disposal() == Disposal.NONE && !pinned(s, rules)
                && (!s.external() || rules.disposesExternal());
    }

    /** The earliest of: a failed disposal to try again, a kept savepoint reaching the age limit. */
    private Instant nextCheck(FlinkJob job, RetentionPolicy rules, Instant at) {
        Instant next = null;
        for (RetainedSavepoint s : retained) {
            if (s.disposal() == Disposal.FAILED && mayRetry(s, job, rules)) {
                next = earliest(next, s.retryAt().isAfter(at) ? s.retryAt() : at);
            }
        }
        Duration maxAge = rules.maxAge();
        if (maxAge != null && job.registered()) {
            for (RetainedSavepoint s : candidates(rules)) {
                Instant expiry = s.completedAt().plus(maxAge);
                if (expiry.isAfter(at)) {
                    next = earliest(next, expiry);
                }
            }
        }
        return next;
    }

    /** A failed disposal is tried again unless something needs the savepoint now (for a deletion's: a pin only). */
    private boolean mayRetry(RetainedSavepoint s, FlinkJob job, RetentionPolicy rules) {
        return switch (s.reason()) {
            case DELETION -> !pinned(s, rules);
            case USER -> protection(s, job, rules, true).isEmpty();
            case MAX_COUNT, MAX_AGE -> protection(s, job, rules, false).isEmpty();
        };
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private void request(FlinkJob job, RetainedSavepoint s, DisposalReason why, RequestedBy by, Instant at) {
        apply(new SavepointDisposalRequested(job.jobId(), s.triggerId(), s.location(), job.run().jobManagerUrl(), why,
                s.attempts() + 1, by, at));
    }

    private static RetentionPolicy rules(FlinkJob job, JobPolicy policy) {
        return job.settings() == null ? policy.retention() : job.settings().retentionOr(policy.retention());
    }

    private static boolean pinned(RetainedSavepoint s, RetentionPolicy rules) {
        return s.pinned() || rules.pins(s.triggerId(), s.location());
    }

    private Optional<RetainedSavepoint> find(String triggerId) {
        return retained.stream().filter(s -> s.is(triggerId)).findFirst();
    }

    private Optional<RetainedSavepoint> underWay(String triggerId, int attempt) {
        return find(triggerId).filter(s -> s.disposal() == Disposal.REQUESTED && s.attempts() == attempt);
    }

    private static String notRetained(String triggerId) {
        return "savepoint " + Texts.abbreviate(triggerId, 64) + " is not retained: it is no completed savepoint of this"
                + " job, or it was disposed of already";
    }

    // ---- event sourcing: assignments only ----

    @EventSourcingHandler
    void on(JobRegistered event) {
        incarnation = event.incarnation();
        restoredFrom = null;
    }

    @EventSourcingHandler
    void on(SavepointCompleted event) {
        if (retained.stream().anyMatch(s -> s.is(event.triggerId()) || s.location().equals(event.location()))) {
            return;
        }
        // a late completion of an earlier incarnation's savepoint is not this incarnation's to dispose of
        int of = event.generation() == null ? incarnation - 1 : incarnation;
        retained.add(RetainedSavepoint.completed(event.triggerId(), event.location(), event.completedAt(),
                event.reason() == TriggerReason.EXTERNAL, of));
    }

    @EventSourcingHandler
    void on(SavepointDisposalRequested event) {
        retained.replaceAll(s -> s.is(event.triggerId()) ? s.disposalRequested(event.reason(), event.attempt()) : s);
    }

    @EventSourcingHandler
    void on(SavepointDisposalFailed event) {
        retained.replaceAll(s -> s.is(event.triggerId()) ? s.disposalFailed(event.retryAt()) : s);
    }

    @EventSourcingHandler
    void on(SavepointDisposed event) {
        retained.removeIf(s -> s.is(event.triggerId()));
    }

    @EventSourcingHandler
    void on(SavepointPinned event) {
        retained.replaceAll(s -> s.is(event.triggerId()) ? s.pinned(true) : s);
    }

    @EventSourcingHandler
    void on(SavepointUnpinned event) {
        retained.replaceAll(s -> s.is(event.triggerId()) ? s.pinned(false) : s);
    }

    @EventSourcingHandler
    void on(RetentionCheckScheduled event) {
        checks++;
        checkDueAt = event.dueAt();
    }

    @EventSourcingHandler
    void on(JobSubmissionRequested event) {
        restoredFrom = event.fromSavepoint();
    }

    @EventSourcingHandler
    void on(JobRestartRequested event) {
        restoredFrom = event.savepointLocation();
    }
}

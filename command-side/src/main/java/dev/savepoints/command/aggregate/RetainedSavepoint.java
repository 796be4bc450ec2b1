package dev.savepoints.command.aggregate;

import dev.savepoints.command.api.DisposalReason;
import java.time.Instant;

/**
 * A completed savepoint whose files are kept, as far as the job knows: not yet disposed of, or disposal asked for
 * and not yet confirmed, or failed and to be tried again.
 *
 * @param incarnation the incarnation of the FlinkCluster that took it; the policy only disposes of the current one's
 * @param attempts    disposal attempts so far
 * @param retryAt     when a failed disposal is tried again; null unless {@link Disposal#FAILED}
 */
record RetainedSavepoint(String triggerId, String location, Instant completedAt, boolean external, int incarnation,
                         boolean pinned, Disposal disposal, DisposalReason reason, int attempts, Instant retryAt) {

    enum Disposal {
        /** Kept: nothing asked for its disposal. */
        NONE,
        /** Its disposal is under way. */
        REQUESTED,
        /** Its last disposal failed: tried again at {@code retryAt}. */
        FAILED
    }

    static RetainedSavepoint completed(String triggerId, String location, Instant completedAt, boolean external,
                                       int incarnation) {
        return new RetainedSavepoint(triggerId, location, completedAt, external, incarnation, false, Disposal.NONE,
                null, 0, null);
    }

    RetainedSavepoint pinned(boolean pinned) {
        // a pin withdraws a failed disposal: it is not tried again
        Disposal after = pinned && disposal == Disposal.FAILED ? Disposal.NONE : disposal;
        return new RetainedSavepoint(triggerId, location, completedAt, external, incarnation, pinned, after,
                after == Disposal.NONE ? null : reason, attempts, after == Disposal.FAILED ? retryAt : null);
    }

    RetainedSavepoint disposalRequested(DisposalReason why, int attempt) {
        return new RetainedSavepoint(triggerId, location, completedAt, external, incarnation, pinned,
                Disposal.REQUESTED, why, attempt, null);
    }

    RetainedSavepoint disposalFailed(Instant retry) {
        return new RetainedSavepoint(triggerId, location, completedAt, external, incarnation, pinned, Disposal.FAILED,
                reason, attempts, retry);
    }

    boolean is(String id) {
        return triggerId.equals(id);
    }
}

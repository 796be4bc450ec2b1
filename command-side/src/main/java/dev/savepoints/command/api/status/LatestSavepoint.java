package dev.savepoints.command.api.status;

import java.time.Instant;

/**
 * The newest completed savepoint of the current incarnation: what a restart on failure restores from, and what
 * {@code status.components.job.savepointLocation} shows. {@link #newer} is the one rule of which is newest.
 */
public record LatestSavepoint(String triggerId, String location, Instant completedAt) {

    /** {@code current} or the savepoint just completed, whichever completed last (a late report may be older). */
    public static LatestSavepoint newer(LatestSavepoint current, String triggerId, String location, Instant completedAt) {
        return current != null && completedAt.isBefore(current.completedAt()) ? current
                : new LatestSavepoint(triggerId, location, completedAt);
    }
}

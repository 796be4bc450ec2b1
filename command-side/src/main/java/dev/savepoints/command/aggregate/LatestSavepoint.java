package dev.savepoints.command.aggregate;

import java.time.Instant;

/** The newest completed savepoint of the current incarnation: what a restart on failure restores from. */
record LatestSavepoint(String triggerId, String location, Instant completedAt) {
}

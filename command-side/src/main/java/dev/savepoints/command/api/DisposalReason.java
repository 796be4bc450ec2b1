package dev.savepoints.command.api;

/** Why a savepoint is disposed of. */
public enum DisposalReason {
    /** More completed savepoints than the retention policy's {@code maxCount}. */
    MAX_COUNT,
    /** Older than the retention policy's {@code maxAgeSeconds}. */
    MAX_AGE,
    /** Asked for by hand (REST). */
    USER,
    /** The FlinkCluster was deleted with disposal of its savepoints asked for. */
    DELETION
}

package dev.savepoints.flink.rest;

/** Where a savepoint (or stop-with-savepoint) operation stands on Flink. */
public record SavepointStatus(State state, String location, String failureCause) {

    public enum State { IN_PROGRESS, COMPLETED, FAILED }

    public static SavepointStatus inProgress() {
        return new SavepointStatus(State.IN_PROGRESS, null, null);
    }

    public static SavepointStatus completed(String location) {
        return new SavepointStatus(State.COMPLETED, location, null);
    }

    public static SavepointStatus failed(String cause) {
        return new SavepointStatus(State.FAILED, null, cause);
    }
}

package dev.savepoints.flink.rest;

/**
 * Where a savepoint disposal stands on Flink. {@link State#GONE}: Flink found no savepoint at the location, so
 * there is nothing left to dispose of (an earlier attempt did, or somebody else).
 */
public record DisposalStatus(State state, String failureCause) {

    public enum State { IN_PROGRESS, COMPLETED, GONE, FAILED }

    public static DisposalStatus inProgress() {
        return new DisposalStatus(State.IN_PROGRESS, null);
    }

    public static DisposalStatus completed() {
        return new DisposalStatus(State.COMPLETED, null);
    }

    public static DisposalStatus gone(String cause) {
        return new DisposalStatus(State.GONE, cause);
    }

    public static DisposalStatus failed(String cause) {
        return new DisposalStatus(State.FAILED, cause);
    }
}

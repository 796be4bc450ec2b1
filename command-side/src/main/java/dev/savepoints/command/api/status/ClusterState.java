package dev.savepoints.command.api.status;

/** {@code status.state}: the FlinkCluster as a whole, in the operator's words ({@link #word()}). */
public enum ClusterState {
    /** Nothing runs yet. */
    CREATING("Creating"),
    RUNNING("Running"),
    /** A Flink cluster the service created lost a ready object, and is being brought back. */
    RECONCILING("Reconciling"),
    /** An upgrade is under way. */
    UPDATING("Updating"),
    /** The job is being stopped with a savepoint ({@code job-cancel}). */
    STOPPING("Stopping"),
    /** The job ended: succeeded, cancelled, failed or lost. */
    STOPPED("Stopped");

    private final String word;

    ClusterState(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}

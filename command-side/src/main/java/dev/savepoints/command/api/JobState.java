package dev.savepoints.command.api;

/** The state of a managed job as the service knows it; {@link #statusValue()} is the CR status wording. */
public enum JobState {
    /** Registered, nothing submitted yet (no jar given, or waiting for the submission). */
    PENDING("Pending"),
    /** Submitted to Flink, not yet running. */
    DEPLOYING("Deploying"),
    RUNNING("Running"),
    FAILED("Failed"),
    /** Waiting out the backoff before a restart from a savepoint. */
    RESTARTING("Restarting"),
    FINISHED("Succeeded"),
    CANCELLED("Cancelled"),
    /** The JobManager no longer knows the job. */
    LOST("Lost"),
    /** The FlinkCluster resource was deleted. */
    DEREGISTERED("Deregistered");

    private final String statusValue;

    JobState(String statusValue) {
        this.statusValue = statusValue;
    }

    public String statusValue() {
        return statusValue;
    }

    /** States a job can be observed in on Flink (what {@link ReportJobState} accepts). */
    public boolean observable() {
        return this == DEPLOYING || this == RUNNING || this == FAILED || this == FINISHED
                || this == CANCELLED || this == LOST;
    }

    public boolean terminal() {
        return this == FAILED || this == FINISHED || this == CANCELLED || this == LOST;
    }
}

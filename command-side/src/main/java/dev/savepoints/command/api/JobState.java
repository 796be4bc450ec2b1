package dev.savepoints.command.api;

/**
 * The state of a managed job, in the words of {@code status.components.job.state} ({@link #statusValue()}): the
 * one vocabulary of the CR status, the REST API and the SQL views. {@link #after(JobEvent)} is the one mapping of
 * events to it, which the aggregate and every read model follow.
 */
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
    /**
     * Shown, never decided on: the JobManager of a deploying or running job cannot be reached, so its state is not
     * known (see {@link dev.savepoints.command.api.status.JobStatus#shownState()}).
     */
    UNKNOWN("Unknown"),
    /** Shown, never decided on: an upgrade stopped the old version and its new one is not deployed yet. */
    UPDATING("Updating"),
    /** The FlinkCluster resource was deleted. */
    DEREGISTERED("Deregistered");

    private final String statusValue;

    JobState(String statusValue) {
        this.statusValue = statusValue;
    }

    public String statusValue() {
        return statusValue;
    }

    /** The state of this word, as {@link #statusValue()} writes it. */
    public static JobState ofStatusValue(String value) {
        for (JobState state : values()) {
            if (state.statusValue.equals(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException("no job state is called '" + value + "'");
    }

    /** States a job can be observed in on Flink (what {@link ReportJobState} accepts). */
    public boolean observable() {
        return this == DEPLOYING || this == RUNNING || this == FAILED || this == FINISHED
                || this == CANCELLED || this == LOST;
    }

    public boolean terminal() {
        return this == FAILED || this == FINISHED || this == CANCELLED || this == LOST;
    }

    /** The state after {@code event}: this one for an event that does not change it. */
    public JobState after(JobEvent event) {
        if (event instanceof JobRegistered || event instanceof JobSubmissionRequested) {
            return PENDING;
        }
        if (event instanceof JobSubmitted || event instanceof RestartedFromSavepoint) {
            return DEPLOYING;
        }
        if (event instanceof JobStateChanged changed) {
            return changed.state();
        }
        if (event instanceof JobFailed || event instanceof JobSubmissionFailed || event instanceof JobRestartRefused) {
            return FAILED;
        }
        if (event instanceof JobRestartScheduled) {
            return RESTARTING;
        }
        if (event instanceof JobCancelled) {
            return CANCELLED;
        }
        if (event instanceof JobDeregistered) {
            return DEREGISTERED;
        }
        return this;
    }
}

package dev.savepoints.flink.rest;

/**
 * A Flink job as {@code /jobs/{id}} or {@code /jobs/overview} shows it; {@code state} is Flink's JobStatus name.
 * {@code tasksRunning} tells whether every task runs (or has finished): Flink calls a job RUNNING while its
 * tasks still deploy, and refuses savepoints until they run.
 */
public record JobStatus(String id, String name, String state, boolean tasksRunning) {

    /** Flink states from which the job does not come back. */
    public boolean globallyTerminal() {
        return "FAILED".equals(state) || "CANCELED".equals(state) || "FINISHED".equals(state);
    }
}

package dev.savepoints.flink.rest;

/** A Flink job as {@code /jobs/{id}} or {@code /jobs/overview} shows it; {@code state} is Flink's JobStatus name. */
public record JobStatus(String id, String name, String state) {

    /** Flink states from which the job does not come back. */
    public boolean globallyTerminal() {
        return "FAILED".equals(state) || "CANCELED".equals(state) || "FINISHED".equals(state);
    }
}

package dev.savepoints.flink;

import dev.savepoints.command.api.JobState;

/** Flink's job states (JobStatus names) in the service's terms. */
final class FlinkStates {

    private FlinkStates() {
    }

    /** The service's state for Flink's, or null while Flink is between states. */
    static JobState of(String flinkState) {
        return switch (flinkState) {
            case "INITIALIZING", "CREATED", "RESTARTING", "RECONCILING" -> JobState.DEPLOYING;
            case "RUNNING" -> JobState.RUNNING;
            case "FAILED" -> JobState.FAILED;
            case "CANCELED" -> JobState.CANCELLED;
            case "FINISHED" -> JobState.FINISHED;
            case "SUSPENDED" -> JobState.LOST;
            default -> null; // FAILING, CANCELLING and states a later Flink may add
        };
    }
}

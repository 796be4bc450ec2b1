package dev.savepoints.flink;

import dev.savepoints.command.api.JobState;

/**
 * What Flink says of a job: {@code state} is null while Flink is between states (FAILING, CANCELLING), which is
 * reported once it settles; {@code cause} is the root cause of a failure.
 */
public record Observation(JobState state, String cause) {

    public static Observation of(JobState state) {
        return new Observation(state, null);
    }

    public static Observation transitional() {
        return new Observation(null, null);
    }
}

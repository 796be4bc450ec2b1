package dev.savepoints.flink;

import dev.savepoints.command.api.JobState;
import dev.savepoints.flink.rest.FlinkSavepoint;
import java.util.List;

/**
 * What Flink says of a job: {@code state} is null while Flink is between states (FAILING, CANCELLING), which is
 * reported once it settles; {@code cause} is the root cause of a failure; {@code savepoints} are the completed
 * savepoints Flink lists for a running job, whoever took them, oldest first (none when they could not be read).
 */
public record Observation(JobState state, String cause, List<FlinkSavepoint> savepoints) {

    public Observation {
        savepoints = savepoints == null ? List.of() : List.copyOf(savepoints);
    }

    public Observation(JobState state, String cause) {
        this(state, cause, List.of());
    }

    public static Observation of(JobState state) {
        return new Observation(state, null);
    }
}

package dev.savepoints.command.api;

/** What happens when the Flink job fails; the names are those of {@code spec.job.restartPolicy}. */
public enum RestartPolicy {
    NEVER("Never"),
    FROM_SAVEPOINT_ON_FAILURE("FromSavepointOnFailure");

    private final String specValue;

    RestartPolicy(String specValue) {
        this.specValue = specValue;
    }

    public String specValue() {
        return specValue;
    }
}

package dev.savepoints.command.api;

/** Why a savepoint was taken; {@link #statusValue()} is the wording of {@code status.savepoint.triggerReason}. */
public enum TriggerReason {
    SCHEDULED("scheduled"),
    /** {@code savepointGeneration} set to status + 1: a user's request, as the operator words it. */
    GENERATION_BUMP("user requested"),
    USER_CONTROL("user requested"),
    REST("user requested"),
    JOB_CANCEL("job cancel"),
    /** The stop with savepoint of a stateful upgrade: the new version starts from it. */
    UPDATE("update"),
    /** Taken outside the service (Flink CLI or REST) and noticed in Flink's checkpoint history. */
    EXTERNAL("external");

    private final String statusValue;

    TriggerReason(String statusValue) {
        this.statusValue = statusValue;
    }

    public String statusValue() {
        return statusValue;
    }
}

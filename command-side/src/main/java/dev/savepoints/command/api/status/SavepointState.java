package dev.savepoints.command.api.status;

/** {@code status.savepoint.state}: the latest savepoint request, in the operator's words ({@link #word()}). */
public enum SavepointState {
    IN_PROGRESS("InProgress"),
    /** Due or asked for, but it cannot be taken yet (the message says why); taken as soon as it can be. */
    WAITING("Waiting"),
    /** Refused before it reached Flink (the message says why). */
    TRIGGER_FAILED("TriggerFailed"),
    FAILED("Failed"),
    SUCCEEDED("Succeeded");

    private final String word;

    SavepointState(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}

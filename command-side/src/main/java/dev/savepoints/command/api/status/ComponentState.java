package dev.savepoints.command.api.status;

/** The state of a part of the Flink cluster ({@code status.components.*.state}), in the operator's words. */
public enum ComponentState {
    READY("Ready"),
    NOT_READY("NotReady"),
    /** Its pods are being replaced by those of a changed declaration. */
    UPDATING("Updating"),
    /** It does not exist (any more). */
    DELETED("Deleted");

    private final String word;

    ComponentState(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}

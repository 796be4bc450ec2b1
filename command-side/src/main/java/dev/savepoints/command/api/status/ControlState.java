package dev.savepoints.command.api.status;

/** {@code status.control.state}, in the operator's words ({@link #word()}); a refused control is {@code Failed}. */
public enum ControlState {
    PROGRESSING("Progressing"),
    SUCCEEDED("Succeeded"),
    FAILED("Failed");

    private final String word;

    ControlState(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}

package dev.savepoints.command.api;

import java.util.Optional;

/** The values of the {@code flinkclusters.flinkoperator.k8s.io/user-control} annotation. */
public enum ControlName {
    SAVEPOINT("savepoint"),
    JOB_CANCEL("job-cancel");

    public static final String ANNOTATION = "flinkclusters.flinkoperator.k8s.io/user-control";

    private final String value;

    ControlName(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<ControlName> fromValue(String value) {
        for (ControlName name : values()) {
            if (name.value.equals(value)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}

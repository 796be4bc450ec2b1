package dev.savepoints.command.api;

import java.util.Objects;

/** Identity of a managed job: the namespace and name of its FlinkCluster resource. */
public record JobId(String namespace, String name) {

    public JobId {
        requireSegment(namespace, "namespace");
        requireSegment(name, "name");
    }

    public static JobId of(String namespace, String name) {
        return new JobId(namespace, name);
    }

    /** Parses the {@code namespace/name} form that {@link #toString()} produces. */
    public static JobId parse(String value) {
        Objects.requireNonNull(value, "job id");
        int slash = value.indexOf('/');
        if (slash <= 0 || slash != value.lastIndexOf('/') || slash == value.length() - 1) {
            throw new IllegalArgumentException("a job id has the form namespace/name, was '" + value + "'");
        }
        return new JobId(value.substring(0, slash), value.substring(slash + 1));
    }

    private static void requireSegment(String value, String what) {
        if (value == null || value.isBlank() || value.contains("/")) {
            throw new IllegalArgumentException("a job's " + what + " must be non-blank and without '/', was '" + value + "'");
        }
    }

    /** The aggregate identifier, also the event stream's identifier: {@code namespace/name}. */
    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

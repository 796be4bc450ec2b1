package dev.savepoints.command.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How long a job's completed savepoints are kept, as the FlinkCluster declares it ({@code spec.job.retention} and
 * the {@code savepoints.dev/pinned-savepoints} annotation). A null field takes the service's default
 * ({@link #orDefaults}). Both limits are maxima: a savepoint beyond {@code maxCount} or older than
 * {@code maxAgeSeconds} is disposed of unless something needs it; 0 switches a limit off.
 *
 * @param maxCount          how many of the job's completed savepoints are kept (pinned ones not counted)
 * @param maxAgeSeconds     how old a kept savepoint may be
 * @param disposeExternal   whether savepoints taken outside the service (found on Flink) fall under the limits too
 * @param disposeOnDeletion whether deleting the FlinkCluster disposes of its savepoints (all but pinned ones)
 * @param pinned            savepoints (locations or trigger ids) the annotation pins: never disposed of while named
 */
public record RetentionPolicy(Integer maxCount, Integer maxAgeSeconds, Boolean disposeExternal,
                              Boolean disposeOnDeletion, List<String> pinned) {

    /** The FlinkCluster annotation whose savepoints (locations or trigger ids) are pinned while it names them. */
    public static final String PIN_ANNOTATION = "savepoints.dev/pinned-savepoints";

    /** Nothing declared: the service's defaults throughout. */
    public static final RetentionPolicy UNDECLARED = new RetentionPolicy(null, null, null, null, List.of());

    public RetentionPolicy {
        pinned = pinned == null ? List.of() : List.copyOf(pinned);
    }

    /** This declaration with each field it leaves open taken from {@code defaults}. */
    public RetentionPolicy orDefaults(RetentionPolicy defaults) {
        return new RetentionPolicy(
                maxCount != null ? maxCount : defaults.maxCount(),
                maxAgeSeconds != null ? maxAgeSeconds : defaults.maxAgeSeconds(),
                disposeExternal != null ? disposeExternal : defaults.disposeExternal(),
                disposeOnDeletion != null ? disposeOnDeletion : defaults.disposeOnDeletion(),
                pinned);
    }

    public boolean limitsCount() {
        return maxCount != null && maxCount > 0;
    }

    /** The age limit; null when there is none. */
    public Duration maxAge() {
        return maxAgeSeconds == null || maxAgeSeconds <= 0 ? null : Duration.ofSeconds(maxAgeSeconds);
    }

    public boolean disposesExternal() {
        return Boolean.TRUE.equals(disposeExternal);
    }

    public boolean disposesOnDeletion() {
        return Boolean.TRUE.equals(disposeOnDeletion);
    }

    public boolean pins(String triggerId, String location) {
        return pinned.stream().anyMatch(p -> Objects.equals(p, triggerId) || Objects.equals(p, location));
    }
}

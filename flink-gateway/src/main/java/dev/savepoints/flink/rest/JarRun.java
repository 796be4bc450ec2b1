package dev.savepoints.flink.rest;

import java.util.List;

/**
 * What {@code POST /jars/{jarId}/run} starts. {@code flinkJobId} (32 hex digits) is chosen by the caller so
 * that a retried run after a lost answer is refused as a duplicate instead of starting a second job.
 * Restores use claim mode NO_CLAIM: Flink must not delete the savepoint it restores from.
 */
public record JarRun(String entryClass, List<String> args, Integer parallelism, String flinkJobId, String savepointPath,
                     boolean allowNonRestoredState) {

    public JarRun {
        args = args == null ? List.of() : List.copyOf(args);
    }
}

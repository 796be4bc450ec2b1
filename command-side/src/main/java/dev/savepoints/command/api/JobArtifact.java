package dev.savepoints.command.api;

import java.util.List;

/**
 * What Flink runs for a job: the jar (a local path or a file/http(s) URL), its entry class, program
 * arguments and parallelism. Absent when the service only manages savepoints of a job it does not submit.
 */
public record JobArtifact(String jarFile, String entryClass, List<String> args, Integer parallelism) {

    public JobArtifact {
        args = args == null ? List.of() : List.copyOf(args);
    }
}

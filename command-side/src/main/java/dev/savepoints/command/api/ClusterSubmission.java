package dev.savepoints.command.api;

/** Where a submission from inside the Flink cluster stands ({@link ClusterSubmitter}), and what it said. */
public record ClusterSubmission(Outcome outcome, String message) {

    public enum Outcome {
        /** Started, not ended yet: ask again later. */
        RUNNING,
        /** Flink took the job. */
        SUBMITTED,
        /** It ended without the job: {@code message} says why. */
        FAILED
    }

    public static ClusterSubmission running(String message) {
        return new ClusterSubmission(Outcome.RUNNING, message);
    }

    public static ClusterSubmission submitted(String message) {
        return new ClusterSubmission(Outcome.SUBMITTED, message);
    }

    public static ClusterSubmission failed(String message) {
        return new ClusterSubmission(Outcome.FAILED, message);
    }
}

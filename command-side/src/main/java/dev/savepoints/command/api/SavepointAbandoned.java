package dev.savepoints.command.api;

/**
 * A savepoint asked for by a standing request ({@code savepointGeneration} = status + 1) failed {@code attempts} times
 * in a row, the last for {@code cause}: it is not tried again until the spec changes or another savepoint is taken.
 */
public record SavepointAbandoned(JobId jobId, TriggerReason reason, Long requestedGeneration, int attempts, String cause)
        implements JobEvent {
}

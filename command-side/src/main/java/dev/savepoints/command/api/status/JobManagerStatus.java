package dev.savepoints.command.api.status;

import java.time.Instant;

/**
 * Whether the job's JobManager answers the service ({@code status.components.jobManager}): {@code since} is when it
 * last changed, {@code message} says why it is not ready.
 */
public record JobManagerStatus(ComponentState state, Instant since, String message) {

    public boolean reachable() {
        return state != ComponentState.NOT_READY;
    }
}

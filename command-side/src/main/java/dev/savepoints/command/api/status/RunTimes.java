package dev.savepoints.command.api.status;

import java.time.Instant;

/**
 * When the Flink job of the current run was submitted ({@code deployTime}), first seen running ({@code startTime})
 * and ended ({@code completionTime}), as {@code status.components.job} shows them; each unset until it happened.
 */
public record RunTimes(Instant deployTime, Instant startTime, Instant completionTime) {

    public static final RunTimes NONE = new RunTimes(null, null, null);

    RunTimes started(Instant at) {
        return startTime != null ? this : new RunTimes(deployTime, at, completionTime);
    }

    RunTimes completed(Instant at) {
        return new RunTimes(deployTime, startTime, at);
    }
}

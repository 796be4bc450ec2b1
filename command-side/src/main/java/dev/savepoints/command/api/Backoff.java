package dev.savepoints.command.api;

import java.time.Duration;

/** Waits that double from {@code initial} up to {@code max}: restarts of failed jobs, retries of Flink calls. */
public record Backoff(Duration initial, Duration max) {

    /** The wait before try number {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        Duration delay = initial;
        for (int i = 1; i < attempt && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}

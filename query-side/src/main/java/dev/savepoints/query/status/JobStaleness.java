package dev.savepoints.query.status;

import java.time.Instant;

/** What the per-job gauges need of a job's current status row. */
public record JobStaleness(String namespace, String name, String jobManagerState, boolean expectedToRun,
                           Instant savepointAgeFrom, Integer savepointIntervalSeconds, int consecutiveFailures) {

    public Staleness staleness(Instant now) {
        return Staleness.of(expectedToRun, savepointAgeFrom, savepointIntervalSeconds, now);
    }
}

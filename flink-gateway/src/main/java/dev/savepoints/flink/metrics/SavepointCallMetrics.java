package dev.savepoints.flink.metrics;

import dev.savepoints.command.api.TriggerReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What the Flink calls of the sagas cost: {@code savepoint_trigger_latency} is the time from a savepoint's
 * decision (the aggregate accepted the request: an annotation, a generation bump, a REST call, the schedule) to
 * Flink acknowledging the trigger, retries included. It is measured where the call is made because no event
 * records Flink's acknowledgement.
 */
public class SavepointCallMetrics {

    private final MeterRegistry registry;
    private final Clock clock;

    public SavepointCallMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Flink acknowledged, just now, the trigger of a savepoint decided at {@code decidedAt}. */
    public void triggerAcknowledged(TriggerReason reason, boolean stopJob, Instant decidedAt) {
        Duration sinceDecision = Duration.between(decidedAt, clock.instant());
        Timer.builder("savepoint_trigger_latency")
                .description("time from a savepoint's decision to Flink acknowledging its trigger")
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .tag("stop_job", Boolean.toString(stopJob))
                .publishPercentileHistogram()
                .register(registry)
                .record(sinceDecision.isNegative() ? Duration.ZERO : sinceDecision);
    }
}

package dev.savepoints.query.metrics;

import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFailed;
import dev.savepoints.command.api.SavepointRejected;
import dev.savepoints.command.api.DisposalReason;
import dev.savepoints.command.api.SavepointDisposalFailed;
import dev.savepoints.command.api.SavepointDisposalRefused;
import dev.savepoints.command.api.SavepointDisposed;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.query.history.SavepointRepository;
import dev.savepoints.query.status.JobStaleness;
import dev.savepoints.query.status.JobStatusRepository;
import dev.savepoints.query.status.Staleness;
import java.util.List;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import dev.savepoints.command.api.status.ComponentState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Micrometer metrics from the events this replica's commands produce (a subscribing processor: no replica counts
 * another's events, and a restart does not count history again; sum over replicas in Prometheus):
 * {@code savepoints_total{reason,outcome}}, {@code savepoint_duration_seconds{reason}},
 * {@code controls_total{name,outcome}}, and from the job status read model {@code flink_jobs{state}} and, per job,
 * {@code flink_jobmanager_reachable{namespace,name}} (1 while its JobManager answers, 0 while it cannot be reached);
 * {@code savepoint_disposals_total{reason,outcome}} from the events and, from the history,
 * {@code savepoints_retained{namespace,name}} (completed savepoints whose files are kept) and
 * {@code savepoint_disposals_failing{namespace,name}} (of those, the ones whose disposal failed and waits for a retry).
 * Per job that is meant to run, from the status read model: {@code savepoint_age_seconds} (as of the scrape, the
 * {@link Staleness} the history page shows), {@code savepoint_interval_seconds} (its schedule, where it has one) and,
 * per registered job, {@code savepoint_consecutive_failures}.
 */
@Component
@ProcessingGroup(SavepointMetrics.PROCESSING_GROUP)
public class SavepointMetrics {

    public static final String PROCESSING_GROUP = "metrics";
    private static final Logger log = LoggerFactory.getLogger(SavepointMetrics.class);
    static final Duration STATE_CACHE = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final JobStatusRepository jobs;
    private volatile Map<String, Long> statesCache = Map.of();
    private volatile Instant statesReadAt = Instant.EPOCH;
    private final MultiGauge reachable;
    private final MultiGauge retained;
    private final MultiGauge disposalsFailing;
    private final MultiGauge age;
    private final MultiGauge interval;
    private final MultiGauge failuresInARow;
    private final SavepointRepository history;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(daemon());

    public SavepointMetrics(MeterRegistry registry, JobStatusRepository jobs, SavepointRepository history) {
        this.registry = registry;
        this.jobs = jobs;
        this.history = history;
        this.retained = MultiGauge.builder("savepoints_retained")
                .description("completed savepoints of the job whose files are kept").register(registry);
        this.reachable = MultiGauge.builder("flink_jobmanager_reachable")
                .description("1 while the job's JobManager answers the service, 0 while it cannot be reached")
                .register(registry);
        this.disposalsFailing = MultiGauge.builder("savepoint_disposals_failing")
                .description("savepoints of the job whose disposal failed and is tried again").register(registry);
        this.age = MultiGauge.builder("savepoint_age_seconds")
                .description("seconds since the job's latest completed savepoint (or its current run's deployment,"
                        + " if later), for jobs meant to run").register(registry);
        this.interval = MultiGauge.builder("savepoint_interval_seconds")
                .description("the job's expected savepoint interval (autoSavepointSeconds)").register(registry);
        this.failuresInARow = MultiGauge.builder("savepoint_consecutive_failures")
                .description("the job's savepoints that failed since its last completed one").register(registry);
        refresher.scheduleWithFixedDelay(this::refreshPerJob, STATE_CACHE.toMillis(), STATE_CACHE.toMillis(),
                TimeUnit.MILLISECONDS);
        for (String state : Arrays.stream(dev.savepoints.command.api.JobState.values())
                .map(dev.savepoints.command.api.JobState::statusValue).toList()) {
            Gauge.builder("flink_jobs", () -> jobsIn(state)).tag("state", state)
                    .description("managed jobs by state (current incarnations)").register(registry);
        }
    }

    @EventHandler
    void on(SavepointCompleted event) {
        savepoint(event.reason(), event.late() ? "completed_late" : "completed");
        Timer.builder("savepoint_duration").tag("reason", tag(event.reason()))
                .description("from the decision to trigger to the savepoint's completion").register(registry)
                .record(Duration.between(event.triggeredAt(), event.completedAt()));
    }

    @EventHandler
    void on(SavepointFailed event) {
        savepoint(event.reason(), event.timedOut() ? "timed_out" : "failed");
    }

    @EventHandler
    void on(SavepointRejected event) {
        savepoint(event.reason(), "rejected");
    }

    @EventHandler
    void on(ControlSucceeded event) {
        control(event.name().value(), "succeeded");
    }

    @EventHandler
    void on(ControlFailed event) {
        control(event.name().value(), "failed");
    }

    @EventHandler
    void on(ControlRejected event) {
        // The annotation's value as the user typed it: only known names become tag values, so no one can create
        // series at will.
        control(ControlName.fromValue(event.name()).map(ControlName::value).orElse("unknown"), "rejected");
    }

    @EventHandler
    void on(SavepointDisposed event) {
        disposal(event.reason(), event.method().name().toLowerCase(Locale.ROOT));
    }

    @EventHandler
    void on(SavepointDisposalFailed event) {
        disposal(event.reason(), "failed");
    }

    @EventHandler
    void on(SavepointDisposalRefused event) {
        disposal(DisposalReason.USER, "refused");
    }

    private void disposal(DisposalReason reason, String outcome) {
        Counter.builder("savepoint_disposals").tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome)
                .description("savepoint disposal attempts by reason and outcome (flink, local_files, already_gone:"
                        + " the files are gone; failed: tried again; refused: a protected savepoint)")
                .register(registry).increment();
    }

    private void savepoint(TriggerReason reason, String outcome) {
        Counter.builder("savepoints").tag("reason", tag(reason)).tag("outcome", outcome)
                .description("savepoints by reason and outcome").register(registry).increment();
    }

    private void control(String name, String outcome) {
        Counter.builder("controls").tag("name", name).tag("outcome", outcome)
                .description("user controls by outcome").register(registry).increment();
    }

    private static String tag(TriggerReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The per-job gauges, one row per job (a job gone from the read model is gone from them); each refresh reads the
     * read models once. Ages are computed at each scrape, so they agree with the page to the second.
     */
    void refreshPerJob() {
        try {
            List<JobStaleness> current = jobs.findCurrentRegistered();
            reachable.register(current.stream().filter(job -> job.jobManagerState() != null)
                    .map(job -> MultiGauge.Row.of(tags(job.namespace(), job.name()),
                            ComponentState.READY.word().equals(job.jobManagerState()) ? 1 : 0)).toList(), true);
            age.register(current.stream().filter(job -> job.staleness(Instant.now()).ageSeconds() != null)
                    .map(job -> MultiGauge.Row.of(tags(job.namespace(), job.name()), job,
                            j -> {
                                Long seconds = j.staleness(Instant.now()).ageSeconds();
                                return seconds == null ? Double.NaN : seconds;
                            })).toList(), true);
            interval.register(current.stream().filter(job -> job.expectedToRun()
                            && job.staleness(Instant.now()).intervalSeconds() != null)
                    .map(job -> MultiGauge.Row.of(tags(job.namespace(), job.name()), job.savepointIntervalSeconds()))
                    .toList(), true);
            failuresInARow.register(current.stream().map(job -> MultiGauge.Row.of(tags(job.namespace(), job.name()),
                    job.consecutiveFailures())).toList(), true);
            List<Object[]> kept = history.countRetainedByJob();
            retained.register(kept.stream().map(row -> MultiGauge.Row.of(tags((String) row[0], (String) row[1]),
                    ((Number) row[2]).doubleValue())).toList(), true);
            disposalsFailing.register(kept.stream().map(row -> MultiGauge.Row.of(tags((String) row[0], (String) row[1]),
                    ((Number) row[3]).doubleValue())).toList(), true);
        } catch (RuntimeException e) { // the database is away: the last values stand until the next refresh
            log.debug("per-job gauges not refreshed: {}", e.getMessage());
        }
    }

    private static Tags tags(String namespace, String name) {
        return Tags.of("namespace", namespace, "name", name);
    }

    @PreDestroy
    void close() {
        refresher.shutdownNow();
    }

    private static ThreadFactory daemon() {
        CustomizableThreadFactory factory = new CustomizableThreadFactory("metrics-refresh-");
        factory.setDaemon(true);
        return factory;
    }

    private double jobsIn(String state) {
        if (Instant.now().isAfter(statesReadAt.plus(STATE_CACHE))) {
            Map<String, Long> counts = new ConcurrentHashMap<>();
            jobs.countCurrentByState().forEach(row -> counts.put((String) row[0], ((Number) row[1]).longValue()));
            statesCache = counts;
            statesReadAt = Instant.now();
        }
        return statesCache.getOrDefault(state, 0L);
    }
}

package dev.savepoints.app.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.savepoints.app.Jobs;
import dev.savepoints.app.ServiceInstance;
import dev.savepoints.app.StoredEvents;
import dev.savepoints.app.bench.BenchmarkReport.Stats;
import dev.savepoints.command.api.JobId;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * N managed jobs with automatic savepoints every 60 s, against {@link FlinkLoadDouble}: triggers per second, the
 * jitter of scheduled triggers against their schedule, CPU and heap, and the event store's growth per savepoint.
 */
final class ScaleBenchmark {

    private static final int INTERVAL_SECONDS = 60;

    private ScaleBenchmark() {
    }

    static void run(BenchmarkReport report) throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.scale.jobs", "100,1000,2000").split(","))
                .map(String::trim).map(Integer::valueOf).toList();
        Duration measured = Duration.parse(System.getProperty("bench.scale.duration", "PT3M"));
        Duration savepoint = Duration.ofMillis(Long.getLong("bench.scale.savepoint-ms", 0));
        boolean burst = "burst".equals(System.getProperty("bench.scale.registration", "spread"));
        String keep = System.getProperty("bench.scale.retention-max-count", "");
        report.section("Scale: N jobs with automatic savepoints every " + INTERVAL_SECONDS + " s");
        report.line("Flink is a load double here (`FlinkLoadDouble`): it speaks the REST calls the service makes for running "
                + "jobs and completes every savepoint " + (savepoint.isZero() ? "at once" : savepoint.toMillis() + " ms after its trigger") + ", because a real Flink cannot run thousands of jobs on this "
                + "machine. The service runs with its production settings (application.yml: deadlines polled every 100 ms, the observer every 5 s) "
                + "on the embedded PostgreSQL; each size runs " + measured.toSeconds() + " s after its jobs are registered, "
                + (burst ? "all of them at once (a burst: every job's savepoints then fall due within seconds of the others'"
                + " each interval)." : "spread evenly over one interval, as jobs that started at different times are.")
                + (keep.isBlank() ? "" : " Each job keeps its last " + keep + " savepoints: every savepoint beyond them is"
                + " disposed of (`savepoints.command.retention-max-count=" + keep + "`)."));
        report.line("Jitter: when the trigger reached Flink, against when it was due (" + INTERVAL_SECONDS
                + " s after the job started running or after its previous savepoint completed, as the aggregate schedules it); "
                + "decision lag: when the aggregate decided it (its SavepointTriggered event) against when it was due; then the time from that decision to the trigger call reaching Flink. "
                + "Triggers/s: in the last full interval.");
        report.line("");
        List<String> header = List.of("jobs", "savepoints", "triggers/s (expected)", "jitter p50", "jitter p99", "jitter max",
                "jitter p50/p99, last interval",
                "decision lag p50/p99", "decision → Flink call p50/p99",
                "JVM CPU avg/max", "machine CPU avg", "heap max", "events/savepoint", "DB bytes/savepoint",
                "Flink status calls/savepoint", "Flink calls/s", "observer round mean/max", "disposals");
        report.line("| " + String.join(" | ", header) + " |");
        report.line("|" + " --- |".repeat(header.size()));
        for (int jobs : sizes) {
            report.line("| " + String.join(" | ", measure(jobs, measured, savepoint, burst, keep,
                    report.file().resolveSibling("scale-" + jobs + "-triggers.csv"))) + " |");
        }
        report.line("");
    }

    private static List<String> measure(int jobs, Duration measured, Duration savepoint, boolean burst, String keep,
                                        java.nio.file.Path csv) throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("scale_" + jobs);
        StoredEvents events = new StoredEvents(database);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (FlinkLoadDouble flink = new FlinkLoadDouble(savepoint);
             ServiceInstance service = ServiceInstance.start(database,
                     "savepoints.flink.job-manager-url-template=" + flink.address(),
                     "db-scheduler.polling-interval=" + ServiceInstance.SERVICE_DEFAULT,
                     "savepoints.command.retention-max-count=" + (keep.isBlank() ? ServiceInstance.SERVICE_DEFAULT : keep))) {
            List<JobId> ids = new ArrayList<>();
            long registrationStart = System.nanoTime();
            for (int i = 0; i < jobs; i++) {
                long due = registrationStart + i * TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS) / jobs;
                long wait = burst ? 0 : due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                JobId job = JobId.of("scale", "job-" + i);
                Jobs.running(service.commands(), job, String.format("%032x", i + 1), Jobs.settings(INTERVAL_SECONDS));
                ids.add(job);
            }
            Instant start = Instant.now();
            long sizeBefore = databaseSize(database);
            long eventsBefore = events.count("select count(*) from domain_event_entry");
            int triggersBefore = flink.triggers().size();
            long statusCallsBefore = flink.statusRequests();
            long callsBefore = flink.requests();
            List<Double> jvmCpu = new ArrayList<>();
            List<Double> machineCpu = new ArrayList<>();
            long[] heapMax = {0};
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                jvmCpu.add(os.getProcessCpuLoad());
                machineCpu.add(os.getCpuLoad());
                heapMax[0] = Math.max(heapMax[0], ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }, 1, 1, TimeUnit.SECONDS);
            Thread.sleep(measured.toMillis());
            sampler.shutdownNow();
            Instant end = Instant.now();
            io.micrometer.core.instrument.Timer rounds = service.bean(io.micrometer.core.instrument.MeterRegistry.class)
                    .find("flink_observer_round").timer();
            String observerRounds = rounds == null || rounds.count() == 0 ? "n/a"
                    : String.format(Locale.ROOT, "%.1f s / %.1f s (%d rounds)", rounds.mean(TimeUnit.SECONDS),
                    rounds.max(TimeUnit.SECONDS), rounds.count());
            long statusCalls = flink.statusRequests() - statusCallsBefore;
            long calls = flink.requests() - callsBefore;

            List<FlinkLoadDouble.Trigger> triggers = new ArrayList<>(flink.triggers().subList(triggersBefore, flink.triggers().size()));
            long savepoints = events.count("select count(*) from domain_event_entry where payload_type like '%SavepointCompleted'");
            long savepointsInRun = events.count("select count(*) from domain_event_entry where payload_type like '%SavepointCompleted'"
                    + " and time_stamp >= '" + start + "'");
            long eventsAfter = events.count("select count(*) from domain_event_entry");
            long sizeAfter = databaseSize(database);
            List<Double> decisionLag = new ArrayList<>();
            List<Double> callLag = new ArrayList<>();
            List<Double> steady = new ArrayList<>();
            List<Double> jitter = jitter(events, triggers, decisionLag, callLag, end.minusSeconds(INTERVAL_SECONDS), steady, csv);
            // sustained: in the last full interval every job is on its cycle
            long lastInterval = end.minusSeconds(INTERVAL_SECONDS).toEpochMilli();
            double perSecond = triggers.stream().filter(t -> t.at().toEpochMilli() >= lastInterval).count() / (double) INTERVAL_SECONDS;
            Stats stats = Stats.ofMillis(jitter);
            Stats decision = Stats.ofMillis(decisionLag);
            Stats call = Stats.ofMillis(callLag);
            return List.of(Integer.toString(jobs), Long.toString(savepoints),
                    String.format(Locale.ROOT, "%.1f (%.1f)", perSecond, jobs / (double) INTERVAL_SECONDS),
                    Stats.ms(stats.p50()), Stats.ms(stats.p99()), Stats.ms(stats.max()),
                    Stats.ms(Stats.ofMillis(steady).p50()) + " / " + Stats.ms(Stats.ofMillis(steady).p99()),
                    Stats.ms(decision.p50()) + " / " + Stats.ms(decision.p99()),
                    Stats.ms(call.p50()) + " / " + Stats.ms(call.p99()),
                    String.format(Locale.ROOT, "%.0f%% / %.0f%%", 100 * average(jvmCpu), 100 * max(jvmCpu)),
                    String.format(Locale.ROOT, "%.0f%%", 100 * average(machineCpu)),
                    heapMax[0] / (1 << 20) + " MiB",
                    savepoints == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", (eventsAfter - eventsBefore) / (double) savepoints),
                    savepoints == 0 ? "n/a" : Long.toString((sizeAfter - sizeBefore) / savepoints),
                    savepointsInRun == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", statusCalls / (double) savepointsInRun),
                    String.format(Locale.ROOT, "%.0f", calls / (double) Duration.between(start, end).toSeconds()),
                    observerRounds, Long.toString(flink.disposals()));
        }
    }

    /**
     * Trigger arrival at Flink minus due time, per scheduled savepoint, from the job's own events; those due in the
     * last interval also into {@code steady}, and every one as a line of {@code csv} (due, decided, arrived).
     */
    private static List<Double> jitter(StoredEvents events, List<FlinkLoadDouble.Trigger> triggers, List<Double> decisionLag,
                                       List<Double> callLag, Instant steadyFrom, List<Double> steady, java.nio.file.Path csv)
            throws java.io.IOException {
        List<String> lines = new ArrayList<>(List.of("job,due,decided,arrived,jitter_ms"));
        Map<String, Instant> arrival = triggers.stream()
                .collect(Collectors.toMap(FlinkLoadDouble.Trigger::triggerId, FlinkLoadDouble.Trigger::at, (a, b) -> a));
        List<Double> jitter = new ArrayList<>();
        for (String job : jobsOf(events)) {
            Instant anchor = null;
            for (StoredEvents.Stored event : events.of(job)) {
                switch (event.type()) {
                    case "JobStateChanged" -> {
                        if ("RUNNING".equals(event.payload().path("state").asText())) {
                            anchor = event.timestamp();
                        }
                    }
                    case "SavepointCompleted" -> anchor = event.timestamp();
                    case "SavepointTriggered" -> {
                        Instant at = arrival.get(event.payload().path("triggerId").asText());
                        if (anchor != null && at != null && "SCHEDULED".equals(event.payload().path("reason").asText())) {
                            Instant due = anchor.plusSeconds(INTERVAL_SECONDS);
                            double ms = Duration.between(due, at).toNanos() / 1e6;
                            jitter.add(ms);
                            if (!due.isBefore(steadyFrom)) {
                                steady.add(ms);
                            }
                            lines.add(job + "," + due + "," + event.timestamp() + "," + at + "," + ms);
                            decisionLag.add(Duration.between(due, event.timestamp()).toNanos() / 1e6);
                            callLag.add(Duration.between(event.timestamp(), at).toNanos() / 1e6);
                        }
                    }
                    default -> { }
                }
            }
        }
        java.nio.file.Files.write(csv, lines);
        return jitter;
    }

    private static List<String> jobsOf(StoredEvents events) {
        List<String> jobs = new ArrayList<>();
        int count = (int) events.count("select count(distinct aggregate_identifier) from domain_event_entry");
        for (int i = 0; i < count; i++) {
            jobs.add("scale/job-" + i);
        }
        return jobs;
    }

    private static long databaseSize(PostgresTestDatabase.Database database) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select pg_database_size(current_database())")) {
            result.next();
            return result.getLong(1);
        }
    }

    private static double average(List<Double> values) {
        return values.stream().filter(v -> v >= 0).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().filter(v -> v >= 0).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}

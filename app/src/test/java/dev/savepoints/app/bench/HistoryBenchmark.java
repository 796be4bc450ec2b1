package dev.savepoints.app.bench;

import dev.savepoints.app.Jobs;
import dev.savepoints.app.ServiceInstance;
import dev.savepoints.app.StoredEvents;
import dev.savepoints.app.bench.BenchmarkReport.Stats;
import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;

/**
 * The cost of a command on a FlinkJob with a long history. Axon loads the aggregate for every command (there is
 * no aggregate cache): the newest snapshot plus the events after it. With snapshots that is fewer than
 * snapshot-threshold events whatever the history's length; without, the whole history.
 * <p>Two measurements per job. A repeated report of the last savepoint's completion loads the aggregate and
 * decides nothing, so the history keeps its length and the load is timed at one point of the snapshot cycle.
 * Then savepoints (trigger + complete) over one whole cycle of 100 events: every distance from the last snapshot
 * once, and the snapshot taken at its end.
 */
public final class HistoryBenchmark {

    private static final List<Integer> LENGTHS = List.of(10, 100, 1_000, 10_000);
    private static final int WARM_UP = 50;
    private static final int REPETITIONS = 200;
    /** Two events each: one snapshot cycle at the default threshold of 100. */
    private static final int SAVEPOINTS = 50;
    /** Without snapshots a command reads the whole history (seconds), so few keep the run short. */
    private static final int REPETITIONS_WITHOUT_SNAPSHOTS = 10;
    private static final int SAVEPOINTS_WITHOUT_SNAPSHOTS = 2;
    private static final RequestedBy ALICE = new RequestedBy("alice", Source.REST, null);
    /** Flink is not needed: the benchmark reports the savepoints' results itself. Nothing listens on port 1. */
    private static final String NO_FLINK = "savepoints.flink.job-manager-url-template=http://127.0.0.1:1";

    private HistoryBenchmark() {
    }

    private record Row(String history, long events, long eventsRead, long snapshotBytes, Stats repeated, Stats savepoints) {

        List<String> cells() {
            return List.of(history, Long.toString(events), Long.toString(eventsRead),
                    snapshotBytes == 0 ? "none" : Long.toString(snapshotBytes),
                    Integer.toString(repeated.count()), Stats.ms(repeated.p50()), Stats.ms(repeated.p99()),
                    Integer.toString(savepoints.count()), Stats.ms(savepoints.p50()), Stats.ms(savepoints.p99()));
        }
    }

    public static void run(BenchmarkReport report) throws Exception {
        report.section("History: a command on a FlinkJob with a long history");
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("bench_history");
        StoredEvents store = new StoredEvents(database);
        Map<Integer, String> lastTrigger = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        long building;
        try (ServiceInstance service = ServiceInstance.start(database, NO_FLINK)) {
            stopStreamingProcessors(service);
            CommandGateway commands = service.commands();
            long start = System.nanoTime();
            for (int length : LENGTHS) {
                Jobs.running(commands, job(length), String.format("%032x", length), Jobs.settings(null));
                lastTrigger.put(length, takeSavepoints(commands, job(length), length, null));
            }
            building = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            // Warm up on all jobs before timing any, so that the first row does not pay for the JIT.
            for (int length : LENGTHS) {
                repeatCompletion(commands, job(length), lastTrigger.get(length), WARM_UP);
            }
            for (int length : LENGTHS) {
                // Read before the timed commands: the repeated report leaves the history as it is.
                long events = events(store, length);
                long eventsRead = eventsAfterSnapshot(store, length);
                Stats repeated = repeatCompletion(commands, job(length), lastTrigger.get(length), REPETITIONS);
                List<Duration> durations = new ArrayList<>();
                lastTrigger.put(length, takeSavepoints(commands, job(length), SAVEPOINTS, durations));
                rows.add(new Row(String.format(Locale.ROOT, "%,d", length), events, eventsRead, snapshotBytes(store, length),
                        repeated, Stats.of(durations)));
            }
        }
        // The longest history again with its snapshot deleted and none taken: what every command would read without.
        int longest = LENGTHS.get(LENGTHS.size() - 1);
        try (Connection connection = database.connect();
             PreparedStatement delete = connection.prepareStatement("delete from snapshot_event_entry where aggregate_identifier = ?")) {
            delete.setString(1, job(longest).toString());
            delete.executeUpdate();
        }
        rows.add(withoutSnapshots(database, store, longest, lastTrigger.get(longest), "no snapshots"));
        // Axon's handler timeouts (on by default in Spring Boot) walk the thread's stack before each handler, also
        // before each event-sourcing handler of a load: the same again without them for event handlers.
        rows.add(withoutSnapshots(database, store, longest, lastTrigger.get(longest), "no snapshots, no event handler timeouts",
                "axon.timeout.handler.events.timeout-ms=-1", "axon.timeout.handler.events.warning-threshold-ms=-1"));
        report.line("Each job's history was built through commands (`TriggerSavepoint` REST, then `CompleteSavepoint`: two "
                + "events per savepoint; " + building + " s for all four) with the default snapshot threshold of 100 events. "
                + "Commands are sent with `sendAndWait`, one at a time. *Repeated report*: `CompleteSavepoint` of the last "
                + "savepoint again, which loads the aggregate and decides nothing (" + WARM_UP + " warm-up commands per job "
                + "first); *events read* is what each of these loads replays, the events after the newest snapshot. "
                + "*Savepoint*: then " + SAVEPOINTS + " more savepoints, each trigger + complete timed together: one snapshot "
                + "cycle, so each distance from the snapshot comes once and one of them takes the snapshot. The tracking "
                + "processors (sagas, projections) are stopped, so that working through the history behind the commands "
                + "does not take the two cores; the subscribing ones run in each command's transaction as always. The last "
                + "row deletes the job's snapshot and sets `savepoints.command.snapshot-threshold` to " + Integer.MAX_VALUE
                + ": every command replays the whole history. The very last row also sets "
                + "`axon.timeout.handler.events.timeout-ms` and `warning-threshold-ms` to -1: Axon then no longer takes the "
                + "thread's stack trace before each event handler, event-sourcing handlers included.");
        report.line("");
        report.table(List.of("savepoints in history", "events", "events read", "snapshot bytes",
                        "repeated report: commands", "p50", "p99", "savepoint: pairs", "p50", "p99"),
                rows.stream().map(Row::cells).toList());
    }

    /** The job of {@code length} loaded from all its events, on a service started with {@code properties} on top. */
    private static Row withoutSnapshots(PostgresTestDatabase.Database database, StoredEvents store, int length,
                                        String lastTrigger, String label, String... properties) {
        List<String> all = new ArrayList<>(List.of(NO_FLINK, "savepoints.command.snapshot-threshold=" + Integer.MAX_VALUE));
        all.addAll(List.of(properties));
        try (ServiceInstance service = ServiceInstance.start(database, all.toArray(String[]::new))) {
            stopStreamingProcessors(service);
            CommandGateway commands = service.commands();
            repeatCompletion(commands, job(length), lastTrigger, 2);
            long events = events(store, length);
            Stats repeated = repeatCompletion(commands, job(length), lastTrigger, REPETITIONS_WITHOUT_SNAPSHOTS);
            List<Duration> durations = new ArrayList<>();
            // After these, lastTrigger is no longer the newest savepoint; repeating it still decides nothing, as the
            // aggregate remembers its last 32 attempts.
            takeSavepoints(commands, job(length), SAVEPOINTS_WITHOUT_SNAPSHOTS, durations);
            return new Row(String.format(Locale.ROOT, "%,d, %s", length, label), events, events, 0, repeated, Stats.of(durations));
        }
    }

    private static JobId job(int length) {
        return JobId.of("bench", "history-" + length);
    }

    /** Takes {@code count} savepoints, timing each (trigger + complete) into {@code durations} if given; returns the last trigger id. */
    private static String takeSavepoints(CommandGateway commands, JobId job, int count, List<Duration> durations) {
        String triggerId = null;
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Decision decision = commands.sendAndWait(new TriggerSavepoint(job, TriggerReason.REST, null, ALICE));
            if (!decision.accepted()) {
                throw new IllegalStateException("savepoint " + i + " of " + job + " refused: " + decision);
            }
            triggerId = decision.id();
            commands.sendAndWait(new CompleteSavepoint(job, triggerId, location(triggerId)));
            if (durations != null) {
                durations.add(Duration.ofNanos(System.nanoTime() - start));
            }
        }
        return triggerId;
    }

    private static String location(String triggerId) {
        return "file:///tmp/savepoints/savepoint-" + triggerId;
    }

    private static Stats repeatCompletion(CommandGateway commands, JobId job, String triggerId, int repetitions) {
        CompleteSavepoint repeated = new CompleteSavepoint(job, triggerId, location(triggerId));
        List<Duration> durations = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            commands.sendAndWait(repeated);
            durations.add(Duration.ofNanos(System.nanoTime() - start));
        }
        return Stats.of(durations);
    }

    private static long events(StoredEvents store, int length) {
        return store.count("select count(*) from domain_event_entry where aggregate_identifier = '" + job(length) + "'");
    }

    /** The events a load replays: those after the newest snapshot of the job (all of them without a snapshot). */
    private static long eventsAfterSnapshot(StoredEvents store, int length) {
        String id = job(length).toString();
        return store.count("select count(*) from domain_event_entry where aggregate_identifier = '" + id + "'"
                + " and sequence_number > coalesce((select max(sequence_number) from snapshot_event_entry"
                + " where aggregate_identifier = '" + id + "'), -1)");
    }

    /** The size of the job's newest snapshot: it must not grow with the history either. */
    private static long snapshotBytes(StoredEvents store, int length) {
        return store.count("select coalesce((select length(payload) from snapshot_event_entry where aggregate_identifier = '"
                + job(length) + "' order by sequence_number desc limit 1), 0)");
    }

    /** The tracking processors: the sagas (which would call Flink for every savepoint) and the projections. */
    private static void stopStreamingProcessors(ServiceInstance service) {
        service.bean(EventProcessingConfiguration.class).eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance)
                .forEach(processor -> processor.shutdownAsync().join());
    }
}

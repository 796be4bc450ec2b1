package dev.savepoints.app.bench;

import dev.savepoints.app.ServiceInstance;
import dev.savepoints.app.bench.BenchmarkReport.Stats;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The history pages at 2,000 jobs and a year of history (the query benchmark's 1 M savepoints and 1 M actions, plus
 * a current status per job): how long each page and fragment takes to render over HTTP on localhost, and how big
 * it is. None reads more than one page of jobs, history or audit.
 */
public final class PagesBenchmark {

    private static final int WARM_UP = 1_000;
    private static final int REQUESTS = Integer.getInteger("bench.pages.requests", 300);
    /** Jobs with a savepoint a minute over the last day (the year of the query benchmark ends before today). */
    private static final int BUSY_JOBS = 20;

    private PagesBenchmark() {
    }

    private record Shape(String name, IntFunction<String> path) {
    }

    public static void run(BenchmarkReport report) throws Exception {
        report.section("History pages at 2,000 jobs and 1 M rows");
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("bench_pages");
        try (ServiceInstance service = ServiceInstance.startWeb(database)) {
            QueryBenchmark.fill(database);
            statuses(database);
            HttpClient http = HttpClient.newHttpClient();
            List<Shape> shapes = List.of(
                    new Shape("overview, first page (by name)", n -> "/ui"),
                    new Shape("overview, by staleness", n -> "/ui?sort=staleness"),
                    new Shape("overview, last page (40)", n -> "/ui?page=39"),
                    new Shape("overview, one namespace, Running", n -> "/ui?namespace=" + QueryBenchmark.namespace(n)
                            + "&state=Running"),
                    new Shape("overview rows (the 5 s refresh)", n -> "/ui/rows?sort=name&page=0"),
                    new Shape("job page", n -> job(n)),
                    new Shape("job timeline, 24 h of a savepoint a minute (JSON)", n -> job(n % BUSY_JOBS) + "/timeline?window=24h"),
                    new Shape("job savepoint rows (refresh)", n -> job(n) + "/savepoint-rows"),
                    new Shape("audit page, by actor", n -> "/ui/audit?actor=" + QueryBenchmark.HUMANS.get(n % 4)));
            for (int n = 0; n < WARM_UP; n++) {
                get(http, service, shapes.get(n % shapes.size()).path().apply(n));
            }
            List<List<Duration>> durations = new ArrayList<>();
            long[] bytes = new long[shapes.size()];
            shapes.forEach(shape -> durations.add(new ArrayList<>()));
            for (int n = 0; n < REQUESTS; n++) {
                for (int i = 0; i < shapes.size(); i++) {
                    long start = System.nanoTime();
                    String body = get(http, service, shapes.get(i).path().apply(n * 7919 % QueryBenchmark.JOBS));
                    durations.get(i).add(Duration.ofNanos(System.nanoTime() - start));
                    bytes[i] = Math.max(bytes[i], body.length());
                }
            }
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                List<String> cells = new ArrayList<>(List.of(shapes.get(i).name()));
                cells.addAll(Stats.of(durations.get(i)).cells());
                cells.add(String.format(Locale.ROOT, "%,d", bytes[i] / 1024) + " KiB");
                rows.add(cells);
            }
            report.line(String.format(Locale.ROOT, "%,d jobs, the query benchmark's rows; %,d warm-up requests, then %d"
                    + " per shape, taking turns, one at a time.", QueryBenchmark.JOBS, WARM_UP, REQUESTS));
            report.line("");
            report.table(List.of("page", "requests", "p50", "p99", "max", "largest body"), rows);
        }
    }

    private static String job(int n) {
        int job = n % QueryBenchmark.JOBS;
        return "/ui/namespaces/" + QueryBenchmark.namespace(job) + "/flinkclusters/" + QueryBenchmark.name(job);
    }

    private static String get(HttpClient http, ServiceInstance service, String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    /** A current status per job, as the projection writes it: running, a schedule, its latest savepoint. */
    private static void statuses(PostgresTestDatabase.Database database) throws Exception {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("""
                    insert into qs_job_status (job_id, incarnation, namespace, name, uid, registered, flink_job_id, state,
                        savepoint_generation, savepoint_location, last_savepoint_trigger_id, last_savepoint_time,
                        restart_count, job_manager_state, cluster_state, deploy_time, registered_at, updated_at,
                        savepoint_interval_seconds, consecutive_failures, savepoint_age_from, expected_to_run, status)
                    select s.job_id, 1, s.namespace, s.name, md5(s.job_id), true, s.flink_job_id,
                           case when j % 50 = 0 then 'Failed' else 'Running' end, s.generation, s.location, s.trigger_id,
                           s.completed_at, 0, 'Ready', 'Running', s.completed_at - interval '30 days',
                           s.completed_at - interval '30 days', s.completed_at, 600 + (j % 7) * 300, j % 4, s.completed_at,
                           j % 50 <> 0, null
                    from (select distinct on (job_id) *, abs(hashtext(job_id)) as j from qs_savepoint
                          where outcome = 'COMPLETED' order by job_id, triggered_at desc) s""");
            sql.execute("analyze qs_job_status");
            sql.execute("""
                    insert into qs_savepoint (trigger_id, job_id, namespace, name, incarnation, flink_job_id, reason, source,
                        actor, target_directory, format_type, stop_job, outcome, generation, location, failure_cause, late,
                        triggered_at, completed_at, duration_ms, updated_at, retention)
                    select md5('busy' || j || '-' || m), 'team-' || lpad((j %% 20)::text, 2, '0') || '/pipeline-'
                               || lpad(j::text, 4, '0'), 'team-' || lpad((j %% 20)::text, 2, '0'),
                           'pipeline-' || lpad(j::text, 4, '0'), 1, md5('flink' || j), 'SCHEDULED', 'SCHEDULE',
                           'savepoint-orchestrator', 's3://savepoints', 'CANONICAL', false,
                           case when m %% 97 = 0 then 'FAILED' else 'COMPLETED' end, m,
                           case when m %% 97 <> 0 then 's3://savepoints/busy-' || m end,
                           case when m %% 97 = 0 then 'checkpoint declined' end, false,
                           now() - (1440 - m) * interval '1 minute', now() - (1440 - m) * interval '1 minute' + interval '3 seconds',
                           3000, now(), case when m %% 97 <> 0 then 'RETAINED' end
                    from generate_series(0, %d - 1) j, generate_series(0, 1439) m""".formatted(BUSY_JOBS));
            sql.execute("analyze qs_savepoint");
        }
    }
}

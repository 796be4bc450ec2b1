package dev.savepoints.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.app.ServiceInstance;
import dev.savepoints.app.bench.BenchmarkReport.Stats;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * The read API at one million savepoints and one million audit rows: p50/p99 of each list endpoint over HTTP,
 * and the PostgreSQL plan of the SQL each one issues. The rows are written with SQL, not projected from events:
 * projecting a million savepoints would take longer than this benchmark may, and the endpoints read only the tables.
 */
public final class QueryBenchmark {

    static final int JOBS = 2_000;
    static final int NAMESPACES = 20;
    static final int ROWS = 1_000_000;
    /**
     * Requests on cheap shapes before any is timed: the service's JIT needs thousands of requests on two cores
     * (after 50 the p50 of a first page was still 4 times its steady value).
     */
    private static final int WARM_UP = 3_000;
    private static final int REQUESTS = Integer.getInteger("bench.queries.requests", 500);
    /** A shape that is slow gets fewer requests, so that the benchmark stays within minutes. */
    private static final Duration TIME_PER_SHAPE = Duration.ofSeconds(30);
    /** The rows span one year up to this instant, so that {@code since} filters have a fixed meaning. */
    static final Instant END = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryBenchmark() {
    }

    /** One query shape: the request of repetition {@code n}, and the parameters its SQL is explained with. */
    private record Shape(String name, IntFunction<String> path, List<Object> sqlParameters) {
    }

    public static void run(BenchmarkReport report) throws Exception {
        report.section("Queries: history and audit endpoints at 1 M rows");
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("bench_queries");
        try (ServiceInstance service = ServiceInstance.startWeb(database,
                "spring.jpa.properties.hibernate.session_factory.statement_inspector=" + IssuedSql.class.getName())) {
            long filling = System.nanoTime();
            fill(database);
            report.line(String.format(Locale.ROOT, "%,d rows in `qs_savepoint` and %,d in `qs_audit` (%d jobs in %d "
                            + "namespaces, one year up to %s, 95 %% completed, 4 %% failed, 1 %% timed out), written with SQL "
                            + "and analyzed in %d s. After %,d warm-up requests on the first pages, each shape gets %d "
                            + "requests (or as many as fit in %d s), one at a time over HTTP on localhost, the shapes taking turns; "
                            + "per-job shapes go round the jobs.", ROWS, ROWS, JOBS, NAMESPACES, END,
                    Duration.ofNanos(System.nanoTime() - filling).toSeconds(), WARM_UP, REQUESTS, TIME_PER_SHAPE.toSeconds()));
            report.line("");
            Http http = new Http(service.port());
            List<Shape> shapes = shapes(http);
            warmUp(http);
            List<Stats> stats = time(http, shapes);
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                rows.add(cells(shapes.get(i).name(), stats.get(i)));
            }
            report.table(List.of("query", "requests", "p50", "p99", "max"), rows);
            report.line("Target: a job's history under 10 ms at p99.");
            report.line("");
            for (Shape shape : shapes) {
                explain(report, database, http, shape);
            }
        }
    }

    private static List<String> cells(String name, Stats stats) {
        List<String> cells = new ArrayList<>(List.of(name));
        cells.addAll(stats.cells());
        return cells;
    }

    /**
     * The query shapes of issue #8. The SQL parameters are the values of each request's filters in the order
     * ReadController adds them (job id, or namespace and name; outcome, ..., since, until, cursor), then the page
     * size + 1.
     */
    private static List<Shape> shapes(Http http) throws Exception {
        Instant since = END.minus(Duration.ofDays(30));
        // A page deep in the history, reached as a client would: 20 pages of 500, then its cursor.
        String deepCursor = null;
        for (int page = 0; page < 20; page++) {
            deepCursor = http.page("/api/v1/savepoints?limit=500" + (deepCursor == null ? "" : "&cursor=" + deepCursor))
                    .path("nextCursor").asText();
        }
        String cursor = deepCursor;
        // The cursor is opaque to clients; the benchmark opens it only to explain the SQL with the same values.
        String[] atCursor = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
        Instant cursorAt = Instant.parse(atCursor[0]);
        return List.of(
                new Shape("job history, first page", n -> "/api/v1/namespaces/" + namespace(job(n)) + "/flinkclusters/"
                        + name(job(n)) + "/savepoints", List.of(jobId(7), 51)),
                new Shape("job history, outcome=FAILED", n -> "/api/v1/namespaces/" + namespace(job(n)) + "/flinkclusters/"
                        + name(job(n)) + "/savepoints?outcome=FAILED", List.of(jobId(7), "FAILED", 51)),
                new Shape("all savepoints, first page", n -> "/api/v1/savepoints", List.of(51)),
                new Shape("all savepoints, page 201 (cursor)", n -> "/api/v1/savepoints?cursor=" + cursor,
                        List.of(cursorAt, cursorAt, atCursor[1], 51)),
                new Shape("all savepoints, namespace + since 30 days", n -> "/api/v1/savepoints?namespace="
                        + namespace(n % NAMESPACES) + "&since=" + since, List.of(namespace(7), since, 51)),
                new Shape("audit, first page", n -> "/api/v1/audit", List.of(51)),
                new Shape("audit of a job (namespace + name)", n -> "/api/v1/audit?namespace=" + namespace(job(n))
                        + "&name=" + name(job(n)), List.of(jobId(7), 51)),
                new Shape("audit by actor", n -> "/api/v1/audit?actor=" + HUMANS.get(n % HUMANS.size()),
                        List.of(HUMANS.get(0), 51)));
    }

    /** Spreads the per-job requests over the jobs (7919 is prime, so every job comes up). */
    private static int job(int n) {
        return (n * 7919) % JOBS;
    }

    /** A job's own column, which the endpoints of one job filter on. */
    static String jobId(int job) {
        return namespace(job) + "/" + name(job);
    }

    static String namespace(int job) {
        return String.format("team-%02d", job % NAMESPACES);
    }

    static String name(int job) {
        return String.format("pipeline-%04d", job);
    }

    /** The code path of every shape (controller, criteria query, Hibernate, Jackson) on queries that are cheap. */
    private static void warmUp(Http http) throws Exception {
        List<String> cheap = List.of("/api/v1/savepoints", "/api/v1/audit", "/api/v1/audit?actor=alice",
                "/api/v1/savepoints?namespace=team-01&outcome=COMPLETED&since=" + END.minus(Duration.ofDays(1)));
        for (int n = 0; n < WARM_UP; n++) {
            http.page(cheap.get(n % cheap.size()));
        }
    }

    /**
     * Round robin over the shapes, one request of each per round, so that the JIT still at work, garbage collections
     * and the service's background polling fall on all shapes alike rather than on the first ones timed.
     */
    private static List<Stats> time(Http http, List<Shape> shapes) throws Exception {
        List<List<Duration>> durations = new ArrayList<>();
        Duration[] spent = new Duration[shapes.size()];
        for (int i = 0; i < shapes.size(); i++) {
            durations.add(new ArrayList<>());
            spent[i] = Duration.ZERO;
        }
        for (int n = 0; n < REQUESTS; n++) {
            for (int i = 0; i < shapes.size(); i++) {
                if (spent[i].compareTo(TIME_PER_SHAPE) > 0) {
                    continue;
                }
                String path = shapes.get(i).path().apply(n);
                long start = System.nanoTime();
                JsonNode page = http.page(path);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                durations.get(i).add(took);
                spent[i] = spent[i].plus(took);
                if (page.path("items").isEmpty()) {
                    throw new IllegalStateException(path + " returned no rows: the data set does not match the query");
                }
            }
        }
        return durations.stream().map(Stats::of).toList();
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the SQL the endpoint issued, as Hibernate sent it, with the shape's parameters. */
    private static void explain(BenchmarkReport report, PostgresTestDatabase.Database database, Http http, Shape shape)
            throws Exception {
        IssuedSql.last = null;
        http.page(shape.path().apply(0)); // the SQL text is the same for every request of a shape
        String sql = IssuedSql.last;
        report.line("**" + shape.name() + "**:");
        report.line("");
        if (sql == null) {
            report.line("(no SQL on qs_savepoint or qs_audit was seen)");
            return;
        }
        report.code("sql", sql);
        long placeholders = sql.chars().filter(c -> c == '?').count();
        if (placeholders != shape.sqlParameters().size()) {
            report.line("(not explained: the SQL has " + placeholders + " parameters, the benchmark expected "
                    + shape.sqlParameters().size() + "; ReadController's filters changed)");
            report.line("");
            return;
        }
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement("explain (analyze, buffers) " + sql)) {
            for (int i = 0; i < shape.sqlParameters().size(); i++) {
                Object value = shape.sqlParameters().get(i);
                statement.setObject(i + 1, value instanceof Instant at ? OffsetDateTime.ofInstant(at, ZoneOffset.UTC) : value);
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            report.code("", plan.toString());
        }
    }

    static final List<String> HUMANS = List.of("alice", "bob", "carol", "ci-pipeline");

    /**
     * A year of savepoints of {@link #JOBS} jobs: row i is savepoint i / JOBS of job i % JOBS, about every 17.5 hours
     * per job, triggered in the order of i. Outcomes, reasons and actors come from a hash of i, so every run writes
     * the same rows. The audit log has one row per savepoint decision, plus settings changes and controls.
     */
    static void fill(PostgresTestDatabase.Database database) throws Exception {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("""
                    create temporary table spread as
                    select i, i %% %1$d as job, i / %1$d as k, abs(hashint4(i)::bigint) %% 1000 as r,
                           timestamptz '%2$s' - interval '365 days' + i * (interval '365 days' / %3$d) as at,
                           'team-' || lpad((i %% %1$d %% %4$d)::text, 2, '0') as namespace,
                           'pipeline-' || lpad((i %% %1$d)::text, 4, '0') as name
                    from generate_series(0, %3$d - 1) i""".formatted(JOBS, END, ROWS, NAMESPACES));
            sql.execute("""
                    insert into qs_savepoint (trigger_id, job_id, namespace, name, incarnation, flink_job_id, reason, source,
                        actor, target_directory, format_type, stop_job, control_id, outcome, generation, location,
                        failure_cause, late, triggered_at, completed_at, duration_ms, updated_at)
                    select md5('trigger' || i), namespace || '/' || name, namespace, name, 1, md5('flink' || job),
                           case when r < 900 then 'SCHEDULED' when r < 960 then 'GENERATION_BUMP'
                                when r < 980 then 'USER_CONTROL' else 'REST' end,
                           case when r < 900 then 'SCHEDULE' when r < 960 then 'KUBERNETES_SPEC'
                                when r < 980 then 'KUBERNETES_ANNOTATION' else 'REST' end,
                           case when r < 900 then 'savepoint-orchestrator' when r < 960 then 'kubectl-client-side-apply'
                                when r < 980 then 'kubectl-annotate' else (array['alice','bob','carol','ci-pipeline'])[r %% 4 + 1] end,
                           's3://savepoints/' || namespace || '/' || name, 'CANONICAL', false,
                           case when r >= 960 and r < 980 then md5('control' || i) end,
                           outcome, case when outcome = 'COMPLETED' then k + 1 end,
                           case when outcome = 'COMPLETED' then 's3://savepoints/' || namespace || '/' || name || '/savepoint-' || left(md5('trigger' || i), 6) end,
                           case when outcome = 'FAILED' then 'java.util.concurrent.CompletionException: checkpoint declined'
                                when outcome = 'TIMED_OUT' then 'no result within PT10M' end,
                           false, at,
                           case when outcome <> 'IN_PROGRESS' then at + duration end,
                           case when outcome <> 'IN_PROGRESS' then extract(epoch from duration)::bigint * 1000 end,
                           at + duration
                    from (select *, (2 + abs(hashint4(-i)::bigint) %% 90) * interval '1 second' as duration,
                                 case when k = %1$d - 1 and job %% 100 = 0 then 'IN_PROGRESS'
                                      when abs(hashint4(3 * i + 1)::bigint) %% 100 < 95 then 'COMPLETED'
                                      when abs(hashint4(3 * i + 1)::bigint) %% 100 < 99 then 'FAILED' else 'TIMED_OUT' end as outcome
                          from spread) s""".formatted(ROWS / JOBS));
            // Audit: one action per row of the spread (mostly savepoint decisions, some settings changes), in event order.
            sql.execute("""
                    insert into qs_audit (event_id, global_index, at, job_id, namespace, name, action, source, actor, decision,
                        reason, outcome, outcome_detail, outcome_at, trigger_id, control_id)
                    select md5('event' || i), 3 * i + 1, at, namespace || '/' || name, namespace, name,
                           case when r < 900 then 'savepoint:scheduled' when r < 940 then 'savepoint:generation-bump'
                                when r < 960 then 'change-settings' when r < 980 then 'control:savepoint' else 'savepoint:rest' end,
                           case when r < 900 then 'SCHEDULE' when r < 960 then 'KUBERNETES_SPEC'
                                when r < 980 then 'KUBERNETES_ANNOTATION' else 'REST' end,
                           case when r < 900 then 'savepoint-orchestrator' when r < 960 then 'kubectl-client-side-apply'
                                when r < 980 then 'kubectl-annotate' else (array['alice','bob','carol','ci-pipeline'])[r %% 4 + 1] end,
                           case when r %% 50 = 1 then 'REJECTED' else 'ACCEPTED' end,
                           case when r %% 50 = 1 then 'savepoint ' || md5('trigger' || (i - 1)) || ' is still in progress' end,
                           case when r %% 50 <> 1 and r not between 940 and 959 then case when r %% 20 = 3 then 'FAILED' else 'SUCCEEDED' end end,
                           case when r %% 50 <> 1 and r not between 940 and 959 then
                                case when r %% 20 = 3 then 'checkpoint declined' else 's3://savepoints/' || namespace || '/' || name end end,
                           case when r %% 50 <> 1 and r not between 940 and 959 then at + interval '30 seconds' end,
                           case when r %% 50 <> 1 and r not between 940 and 959 then md5('trigger' || i) end,
                           case when r between 960 and 979 then md5('control' || i) end
                    from spread""".formatted());
            sql.execute("analyze qs_savepoint");
            sql.execute("analyze qs_audit");
        }
    }

    /** Remembers the last query Hibernate sent to the read models' tables (named by class in the Hibernate settings). */
    public static final class IssuedSql implements StatementInspector {

        private static final long serialVersionUID = 1L;
        static volatile String last;

        @Override
        public String inspect(String sql) {
            String lower = sql.toLowerCase(Locale.ROOT);
            if (lower.startsWith("select") && (lower.contains(" qs_savepoint ") || lower.contains(" qs_audit "))) {
                last = sql;
            }
            return sql;
        }
    }

    /** GETs pages of the read API as JSON. */
    private static final class Http {

        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String base;

        Http(int port) {
            this.base = "http://localhost:" + port;
        }

        JsonNode page(String path) throws Exception {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        }
    }
}

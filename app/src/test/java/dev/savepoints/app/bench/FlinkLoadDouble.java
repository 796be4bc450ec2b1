package dev.savepoints.app.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.savepoints.app.LocalHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load double that speaks the part of the JobManager REST API the service uses for running jobs: every job runs,
 * every savepoint is accepted and completes {@code savepointDuration} after its trigger (at once for zero). Only for
 * the scale benchmark, where thousands of jobs are more than a real Flink runs on two cores; it notes when each
 * trigger arrived, and counts the calls.
 */
final class FlinkLoadDouble implements AutoCloseable {

    record Trigger(String flinkJobId, String triggerId, Instant at) {
    }

    private static final Pattern JOB = Pattern.compile("/jobs/([0-9a-f]{32})");
    private static final Pattern CHECKPOINTS = Pattern.compile("/jobs/([0-9a-f]{32})/checkpoints");
    private static final Pattern TRIGGER = Pattern.compile("/jobs/([0-9a-f]{32})/savepoints");
    private static final Pattern STATUS = Pattern.compile("/jobs/([0-9a-f]{32})/savepoints/([0-9a-zA-Z-]+)");
    private static final Pattern DISPOSAL_STATUS = Pattern.compile("/savepoint-disposal/([0-9a-zA-Z-]+)");
    private static final Pattern TRIGGER_ID = Pattern.compile("\"triggerId\"\\s*:\\s*\"([0-9a-f]+)\"");

    private final HttpServer server;
    private final List<Trigger> triggers = new CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong statusRequests = new AtomicLong();
    private final AtomicLong disposals = new AtomicLong();
    private final Map<String, Instant> triggeredAt = new ConcurrentHashMap<>();
    private final Duration savepointDuration;

    FlinkLoadDouble(Duration savepointDuration) throws IOException {
        this.savepointDuration = savepointDuration;
        server = LocalHttpServer.create(200);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::answer);
        server.start();
    }

    URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Trigger> triggers() {
        return triggers;
    }

    long requests() {
        return requests.get();
    }

    /** Calls asking how a savepoint goes. */
    long disposals() {
        return disposals.get();
    }

    long statusRequests() {
        return statusRequests.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m;
            if ("POST".equals(exchange.getRequestMethod()) && (m = TRIGGER.matcher(path)).matches()) {
                Matcher id = TRIGGER_ID.matcher(body);
                String triggerId = id.find() ? id.group(1) : Long.toHexString(System.nanoTime());
                Instant now = Instant.now();
                triggers.add(new Trigger(m.group(1), triggerId, now));
                triggeredAt.putIfAbsent(triggerId, now);
                send(exchange, 202, "{\"request-id\":\"" + triggerId + "\"}");
            } else if ((m = STATUS.matcher(path)).matches()) {
                statusRequests.incrementAndGet();
                Instant since = triggeredAt.getOrDefault(m.group(2), Instant.EPOCH);
                if (Instant.now().isBefore(since.plus(savepointDuration))) {
                    send(exchange, 200, "{\"status\":{\"id\":\"IN_PROGRESS\"}}");
                } else {
                    triggeredAt.remove(m.group(2));
                    send(exchange, 200, "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"location\":\"file:/double/"
                            + m.group(1) + "/savepoint-" + m.group(2) + "\"}}");
                }
            } else if ("POST".equals(exchange.getRequestMethod()) && path.equals("/savepoint-disposal")) {
                // the retention policy's disposals (10 kept by default): done at once, as for a savepoint of no state
                disposals.incrementAndGet();
                send(exchange, 200, "{\"request-id\":\"" + Long.toHexString(System.nanoTime()) + "\"}");
            } else if (DISPOSAL_STATUS.matcher(path).matches()) {
                send(exchange, 200, "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{}}");
            } else if (CHECKPOINTS.matcher(path).matches()) {
                send(exchange, 200, "{\"history\":[]}");
            } else if ((m = JOB.matcher(path)).matches()) {
                send(exchange, 200, "{\"jid\":\"" + m.group(1) + "\",\"name\":\"double\",\"state\":\"RUNNING\","
                        + "\"vertices\":[{\"status\":\"RUNNING\"}]}");
            } else {
                send(exchange, 404, "{\"errors\":[\"not served by the load double: " + path + "\"]}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

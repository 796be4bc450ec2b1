package dev.savepoints.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A pass-through proxy in front of a real JobManager that notes when each call arrives, what was asked and what
 * Flink answered, so a benchmark can tell when the service called Flink and when Flink first said COMPLETED. It
 * changes nothing unless a test arms a {@link #once kill point}: a moment in a conversation with Flink at which
 * the test acts (kills the service), which no real Flink produces on demand.
 */
public final class FlinkTap implements AutoCloseable {

    public record Call(long nanos, String method, String path, int status, String request, String body) {
    }

    /** Where in a call a kill point acts. */
    public enum Moment {
        /** Before Flink sees the call, which then never reaches it. */
        BEFORE_FLINK,
        /** After Flink answered, before the caller gets the answer. */
        BEFORE_ANSWER
    }

    private record KillPoint(String method, Predicate<String> path, Moment moment, Predicate<String> answer,
                             Runnable action, AtomicBoolean armed) {
    }

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "upgrade", "expect",
            "transfer-encoding", "keep-alive", "te", "trailer");

    private final HttpServer server;
    private final URI target;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<KillPoint> killPoints = new CopyOnWriteArrayList<>();

    public FlinkTap(URI target) throws IOException {
        this.target = target;
        server = LocalHttpServer.create(0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::forward);
        server.start();
    }

    public URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Call> calls() {
        return calls;
    }

    /**
     * Runs {@code action} once, at {@code moment} of the next {@code method} call whose path matches and, for
     * {@link Moment#BEFORE_ANSWER}, whose answer matches {@code answer}. Returns whether it has run (to its end).
     */
    public BooleanSupplier once(String method, Predicate<String> path, Moment moment, Predicate<String> answer,
                                Runnable action) {
        AtomicBoolean armed = new AtomicBoolean(true);
        AtomicBoolean done = new AtomicBoolean();
        killPoints.add(new KillPoint(method, path, moment, answer, () -> {
            action.run();
            done.set(true);
        }, armed));
        return done::get;
    }

    private boolean fire(HttpExchange exchange, Moment moment, String answer) {
        for (KillPoint point : killPoints) {
            if (point.moment() == moment && point.method().equals(exchange.getRequestMethod())
                    && point.path().test(exchange.getRequestURI().getPath())
                    && (answer == null || point.answer().test(answer)) && point.armed().compareAndSet(true, false)) {
                killPoints.remove(point);
                point.action().run();
                return true;
            }
        }
        return false;
    }

    private void forward(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (fire(exchange, Moment.BEFORE_FLINK, null)) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] answer = response.body();
            boolean noted = path.contains("/savepoint") || path.endsWith("/run");
            calls.add(new Call(arrived, exchange.getRequestMethod(), path, response.statusCode(),
                    noted ? new String(body, StandardCharsets.UTF_8) : "", noted ? new String(answer, StandardCharsets.UTF_8) : ""));
            fire(exchange, Moment.BEFORE_ANSWER, new String(answer, StandardCharsets.UTF_8));
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the caller is gone (killed at a kill point): nobody to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.savepoints.app;

import dev.savepoints.db.test.PostgresTestDatabase;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** One running instance of the service on a test database, as a test would start and stop a process. */
public final class ServiceInstance implements AutoCloseable {

    public static final String SERVICE_DEFAULT = "<the service's default>";

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private final ConfigurableApplicationContext context;

    private ServiceInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static ServiceInstance start(PostgresTestDatabase.Database database, String... extraProperties) {
        return start(WebApplicationType.NONE, database, extraProperties);
    }

    /** With its HTTP server on a free port ({@link #port()}). */
    public static ServiceInstance startWeb(PostgresTestDatabase.Database database, String... extraProperties) {
        String[] properties = java.util.Arrays.copyOf(extraProperties, extraProperties.length + 1);
        properties[extraProperties.length] = "server.port=0";
        return start(WebApplicationType.SERVLET, database, properties);
    }

    private static ServiceInstance start(WebApplicationType web, PostgresTestDatabase.Database database,
                                         String... extraProperties) {
        Map<String, Object> properties = new LinkedHashMap<>(database.springProperties());
        for (String property : extraProperties) {
            int eq = property.indexOf('=');
            properties.put(property.substring(0, eq), property.substring(eq + 1));
        }
        return start(web, properties);
    }

    /**
     * With {@code properties} on top of the tests' defaults (no Kubernetes, quick deadline polling); a property
     * given as {@link #SERVICE_DEFAULT} keeps the service's own value (application.yml).
     */
    public static ServiceInstance start(WebApplicationType web, Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("savepoints.k8s.enabled", "false");
        all.put("db-scheduler.polling-interval", "200ms");
        // The tests' JobManagers run on this machine: the only place that lets a FlinkCluster name them.
        all.put("savepoints.flink.job-manager-hosts", ".svc,.svc.cluster.local,localhost,127.0.0.1");
        all.put("spring.main.banner-mode", "off");
        all.putAll(properties);
        all.values().removeIf(SERVICE_DEFAULT::equals);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SavepointOrchestratorApplication.class)
                .web(web)
                .properties(all)
                .run();
        return new ServiceInstance(context);
    }

    public CommandGateway commands() {
        return context.getBean(CommandGateway.class);
    }

    public int port() {
        return ((org.springframework.boot.web.context.WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** A GET of {@code pathAndQuery} on this instance's HTTP server (see {@link #startWeb}). */
    public java.net.http.HttpResponse<String> get(String pathAndQuery) throws java.io.IOException, InterruptedException {
        return send(java.net.http.HttpRequest.newBuilder(uri(pathAndQuery)));
    }

    /** A POST without body, with {@code bearerToken} when not null, as a REST client sends a write. */
    public java.net.http.HttpResponse<String> post(String path, String bearerToken)
            throws java.io.IOException, InterruptedException {
        return write("POST", path, bearerToken);
    }

    /** A write without body ({@code PUT}, {@code DELETE}, ...), with {@code bearerToken} when not null. */
    public java.net.http.HttpResponse<String> write(String method, String path, String bearerToken)
            throws java.io.IOException, InterruptedException {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(uri(path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return send(request);
    }

    /**
     * The sum of the samples of Prometheus series {@code series} (as {@code /actuator/prometheus} names it) whose
     * tag {@code tag} is {@code value}; NaN when there is none.
     */
    public double metric(String series, String tag, String value) throws java.io.IOException, InterruptedException {
        java.util.regex.Matcher sample = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(series)
                        + "\\{[^}]*" + java.util.regex.Pattern.quote(tag + "=\"" + value + "\"") + "[^}]*} (\\S+)$")
                .matcher(get("/actuator/prometheus").body());
        double sum = Double.NaN;
        while (sample.find()) {
            sum = (Double.isNaN(sum) ? 0 : sum) + Double.parseDouble(sample.group(1));
        }
        return sum;
    }

    private java.net.URI uri(String pathAndQuery) {
        return java.net.URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    private static java.net.http.HttpResponse<String> send(java.net.http.HttpRequest.Builder request)
            throws java.io.IOException, InterruptedException {
        return HTTP.send(request.timeout(java.time.Duration.ofSeconds(20)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** Stops answering HTTP, as a service that went away would (the rest of it goes on until {@link #close}). */
    public void stopWebServer() {
        ((org.springframework.boot.web.context.WebServerApplicationContext) context).getWebServer().stop();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public <T> java.util.Map<String, T> beansOf(Class<T> type) {
        return context.getBeansOfType(type);
    }

    @Override
    public void close() {
        context.close();
    }
}

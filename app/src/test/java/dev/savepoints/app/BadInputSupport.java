package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The verbs of {@link BadInputCatalogueTest}: raw FlinkCluster JSON on the mock API server, raw HTTP on the service. */
final class BadInputSupport {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String CONTROL = "flinkclusters.flinkoperator.k8s.io/user-control";
    static final ObjectMapper JSON = new ObjectMapper();

    private final MockApiServer api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    BadInputSupport(MockApiServer api) {
        this.api = api;
    }

    void port(int port) {
        this.port = port;
    }

    // ---- FlinkCluster resources as untyped JSON: the client never checks a type ----

    Resource<GenericKubernetesResource> cluster(String name) {
        return api.kubectl.genericKubernetesResources("flinkoperator.k8s.io/v1beta1", "FlinkCluster")
                .inNamespace("default").withName(name);
    }

    /** Creates FlinkCluster {@code name} with {@code spec} (JSON) as given. */
    void create(String name, String spec) {
        create(name, "{}", spec);
    }

    void create(String name, String annotations, String spec) {
        String json = "{\"apiVersion\":\"flinkoperator.k8s.io/v1beta1\",\"kind\":\"FlinkCluster\",\"metadata\":{\"name\":\""
                + name + "\",\"namespace\":\"default\",\"annotations\":" + annotations + "},\"spec\":" + spec + "}";
        api.kubectl.genericKubernetesResources("flinkoperator.k8s.io/v1beta1", "FlinkCluster").inNamespace("default")
                .resource(api.kubectl.getKubernetesSerialization().unmarshal(json, GenericKubernetesResource.class)).create();
    }

    /** As {@code kubectl patch --type merge} does. */
    void patch(String name, String json) {
        cluster(name).patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    JsonNode json(String name) {
        GenericKubernetesResource resource = cluster(name).get();
        return resource == null ? MissingNode.getInstance() : JSON.valueToTree(resource);
    }

    /** The Warning Event with this reason whose message contains {@code part}, once it exists. */
    Event awaitWarning(String name, String reason, String part) {
        return await().atMost(WAIT).until(() -> warning(name, reason, part), Optional::isPresent).orElseThrow();
    }

    Optional<Event> warning(String name, String reason, String part) {
        return api.eventsOf("default", name).stream().filter(e -> "Warning".equals(e.getType())
                && reason.equals(e.getReason()) && e.getMessage().contains(part)).findFirst();
    }

    /** Waits until the resource's JSON at {@code pointer} contains {@code part}. */
    JsonNode awaitField(String name, String pointer, String part) {
        return await().atMost(WAIT).until(() -> json(name), j -> j.at(pointer).asText().contains(part));
    }

    // ---- HTTP ----

    record Answer(int status, String contentType, JsonNode body, String raw) {
    }

    Answer get(String path) throws Exception {
        return send("GET", path, null, null, null);
    }

    Answer send(String method, String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (Exception e) {
            json = MissingNode.getInstance();
        }
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                json == null ? MissingNode.getInstance() : json, response.body());
    }

    /** A 4xx answer with a problem+json body whose detail contains {@code detail}. */
    static void assertProblem(Answer answer, int status, String detail) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.contentType()).as(answer.raw()).startsWith("application/problem+json");
        assertThat(answer.body().at("/status").asInt()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.body().at("/detail").asText()).as(answer.raw()).contains(detail);
    }
}

package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The local sandbox does what docs/sandbox.md promises: savepoints accrue, one can be taken by hand, it stops clean. */
class SandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void savepointsAccrueOneIsTakenByHandAndEverythingStops() throws Exception {
        Sandbox sandbox = Sandbox.start(0, 2);
        Path work = sandbox.work();
        URI jobManager;
        try {
            String history = "http://localhost:" + sandbox.port() + "/api/v1/namespaces/sandbox/flinkclusters/counting/savepoints";
            await().atMost(Duration.ofSeconds(60)).until(() -> completed(get(history), "SCHEDULED") >= 2);

            HttpResponse<String> taken = http.send(HttpRequest.newBuilder(URI.create(history))
                    .header("Authorization", "Bearer " + sandbox.token())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(taken.statusCode()).as(taken.body()).isEqualTo(202);
            String trigger = JSON.readTree(taken.body()).path("triggerId").asText();
            JsonNode byHand = await().atMost(Duration.ofSeconds(60)).until(() -> item(get(history), trigger),
                    item -> item != null && "COMPLETED".equals(item.path("outcome").asText()));
            assertThat(byHand.path("actor").asText()).isEqualTo("sandbox-user");
            assertThat(Path.of(URI.create(byHand.path("location").asText()))).isDirectory().startsWith(sandbox.savepointsDir());

            JsonNode all = get(history + "?outcome=COMPLETED&limit=500");
            try (Stream<Path> onDisk = Files.list(sandbox.savepointsDir())) {
                assertThat(onDisk.count()).as("a directory for each completed savepoint, no more")
                        .isGreaterThanOrEqualTo(all.path("items").size());
            }
            jobManager = URI.create(sandbox.instructions(2).lines().filter(l -> l.contains("local Flink at"))
                    .findFirst().orElseThrow().replaceAll(".*local Flink at (\\S+) .*", "$1"));
        } finally {
            sandbox.close();
        }
        assertThat(work).doesNotExist();
        URI overview = URI.create(jobManager + "/overview");
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(overview).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding())).as("Flink stopped").isInstanceOf(ConnectException.class);
    }

    private JsonNode get(String uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static long completed(JsonNode page, String reason) {
        return StreamSupport.stream(page.path("items").spliterator(), false)
                .filter(item -> "COMPLETED".equals(item.path("outcome").asText()) && reason.equals(item.path("reason").asText()))
                .count();
    }

    private static JsonNode item(JsonNode page, String trigger) {
        return StreamSupport.stream(page.path("items").spliterator(), false)
                .filter(item -> trigger.equals(item.path("triggerId").asText())).findFirst().orElse(null);
    }
}

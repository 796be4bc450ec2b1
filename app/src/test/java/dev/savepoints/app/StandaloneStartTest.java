package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The service as a new user starts it: no configuration at all, so an embedded PostgreSQL is started and kept. */
@ExtendWith(OutputCaptureExtension.class)
class StandaloneStartTest {

    @TempDir
    Path dataDirectory;

    @Test
    void withNoDatabaseConfiguredItRunsOnAnEmbeddedPostgresAndStopsItCleanly(CapturedOutput output) throws Exception {
        int postgresPort;
        try (ConfigurableApplicationContext service = start()) {
            assertThat(health(service)).contains("\"status\":\"UP\"");
            postgresPort = service.getBean(EmbeddedPostgres.class).getPort();
            assertThat(Files.exists(dataDirectory.resolve("PG_VERSION"))).isTrue();
        }
        assertThat(output).contains("No spring.datasource.url configured: embedded PostgreSQL runs at")
                .contains("Kubernetes bridge off: no Kubernetes cluster was found")
                .contains("Flink gateway: JobManager REST API at http://{name}-jobmanager.{namespace}.svc:8081")
                .containsPattern("Successfully applied \\d+ migrations to schema \"public\"");
        assertThat(portOpen(postgresPort)).as("PostgreSQL stopped with the service").isFalse();

        // The data directory is kept: the second start finds its schema and applies nothing.
        try (ConfigurableApplicationContext again = start()) {
            assertThat(health(again)).contains("\"status\":\"UP\"");
        }
        assertThat(output).contains("Schema \"public\" is up to date. No migration necessary.");
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SavepointOrchestratorApplication.class)
                .properties(Map.of("server.port", "0",
                        "savepoints.db.embedded-data-directory", dataDirectory.toString(),
                        "db-scheduler.polling-interval", "500ms"))
                .run();
    }

    private static String health(ConfigurableApplicationContext service) throws Exception {
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static boolean portOpen(int port) {
        try (Socket ignored = new Socket("localhost", port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}

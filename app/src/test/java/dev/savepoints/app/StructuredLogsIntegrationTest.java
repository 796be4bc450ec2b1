package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * With JSON logs switched on, the lines about a savepoint carry its job and trigger ids as fields: those logged
 * while an event is handled and those logged by the saga's deadlines, which handle no event.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void savepointLogLinesCarryTheJobAndTriggerIds(CapturedOutput output) {
        JobId job = JobId.of("logs", "unreachable");
        String flinkJob = "0000000000000000000000000000001f";
        try (ServiceInstance service = ServiceInstance.start(PostgresTestDatabase.newDatabase("structured_logs"),
                "logging.structured.format.console=logstash",
                // Nothing listens there: the saga logs a retry at once (event) and after a second (deadline).
                "savepoints.flink.job-manager-url-template=http://127.0.0.1:1",
                "savepoints.flink.retry-initial=500ms")) {
            Jobs.running(service.commands(), job, flinkJob, Jobs.settings(null));
            Decision decision = service.commands().sendAndWait(new TriggerSavepoint(job, TriggerReason.REST, null,
                    new RequestedBy("alice", Source.REST, null)));

            JsonNode fromDeadline = await().atMost(Duration.ofSeconds(30))
                    .until(() -> line(output, "trying again (attempt 3)"), Optional::isPresent).orElseThrow();
            JsonNode fromEvent = line(output, "trying again (attempt 2)").orElseThrow();
            for (JsonNode line : List.of(fromEvent, fromDeadline)) {
                assertThat(line.path("job").asText()).as(line.toString()).isEqualTo(job.toString());
                assertThat(line.path("trigger").asText()).as(line.toString()).isEqualTo(decision.id());
                assertThat(line.path("flinkJob").asText()).as(line.toString()).isEqualTo(flinkJob);
            }
        }
    }

    /**
     * The secrets the service holds (REST tokens, the database password) and those callers send (a wrong token)
     * are never written to its log, even at DEBUG for the service, Spring Security, Spring MVC and HikariCP.
     */
    @Test
    void secretsNeverReachTheLog(CapturedOutput output) throws Exception {
        String token = "tok-secret-4f9a8c2e71d3";
        String wrongToken = "tok-wrong-9b1e5d7c3a20";
        String password = "pw-secret-6c2d9e1f4b87";
        PostgresTestDatabase.Database admin = PostgresTestDatabase.newDatabase("secrets");
        try (var connection = admin.connect(); var statement = connection.createStatement()) {
            statement.execute("create role secrets_owner login superuser password '" + password + "'");
        }
        PostgresTestDatabase.Database database = new PostgresTestDatabase.Database(admin.jdbcUrl(), "secrets_owner", password);
        try (ServiceInstance service = ServiceInstance.startWeb(database, "savepoints.query.tokens.ci-bot=" + token,
                "logging.level.dev.savepoints=DEBUG", "logging.level.org.springframework.security=DEBUG",
                "logging.level.org.springframework.web=DEBUG", "logging.level.com.zaxxer.hikari=DEBUG")) {
            Jobs.running(service.commands(), JobId.of("logs", "secrets"), "0000000000000000000000000000002f", Jobs.settings(null));
            for (String bearer : List.of(token, wrongToken)) {
                var answer = service.post("/api/v1/namespaces/logs/flinkclusters/secrets/savepoints", bearer);
                assertThat(answer.statusCode()).isEqualTo(bearer.equals(token) ? 202 : 401);
            }
        }
        assertThat(output.getAll()).as("the log").contains("Tomcat started on port")
                .doesNotContain(token).doesNotContain(wrongToken).doesNotContain(password);
    }

    private static Optional<JsonNode> line(CapturedOutput output, String messagePart) {
        return output.getOut().lines()
                .filter(line -> line.startsWith("{") && line.contains(messagePart))
                .map(StructuredLogsIntegrationTest::parse)
                .findFirst();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }
}

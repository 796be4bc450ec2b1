package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.test.FlinkTestCluster;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away for a while under a job with automatic savepoints, on a real Flink: the service reports
 * itself not ready (but alive: a restart would not help), refuses new requests with a 503 instead of losing them,
 * and once the database is back takes up the schedule it had decided on, with every savepoint it triggered ending
 * once.
 */
class DatabaseOutageIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOKEN = "outage-token-0123456789abcdef";

    @TempDir
    Path work;

    @Test
    void theServiceIsUnreadyDuringAnOutageAndResumesItsScheduleAfterIt() throws Exception {
        JobId job = JobId.of("outage", "counting");
        try (PostgresTestDatabase.OutageServer postgres = PostgresTestDatabase.OutageServer.create();
             FlinkTestCluster flink = FlinkTestCluster.start()) {
            PostgresTestDatabase.Database database = postgres.newDatabase("outage");
            StoredEvents events = new StoredEvents(database);
            try (ServiceInstance service = ServiceInstance.startWeb(database, FlinkJobs.serviceOn(flink,
                    "savepoints.query.tokens.ci-bot=" + TOKEN,
                    "spring.datasource.hikari.connection-timeout=2000"))) {
                service.commands().sendAndWait(new RegisterJob(job, "uid-counting", new JobSettings(
                        work.resolve("savepoints").toUri().toString(), 2, RestartPolicy.NEVER, null, false,
                        SavepointFormatType.CANONICAL, null, false,
                        FlinkJobs.countingJob(work.resolve("count"), null, 10)), Jobs.KUBECTL));
                await().atMost(WAIT).until(() -> events.ofType(job.toString(), "SavepointCompleted").size() >= 1);
                assertThat(service.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

                postgres.stop();

                await().atMost(WAIT).until(() -> service.get("/actuator/health/readiness").statusCode() == 503);
                HttpResponse<String> health = service.get("/actuator/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(service.get("/actuator/health/liveness").statusCode()).as("alive: a restart would not help")
                        .isEqualTo(200);
                HttpResponse<String> refused = service.post("/api/v1/namespaces/outage/flinkclusters/counting/savepoints", TOKEN);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                Thread.sleep(4_000); // two automatic savepoints come due meanwhile

                postgres.start();

                await().atMost(WAIT).until(() -> service.get("/actuator/health/readiness").statusCode() == 200);
                long before = events.ofType(job.toString(), "SavepointCompleted").size();
                await().atMost(WAIT).until(() -> events.ofType(job.toString(), "SavepointCompleted").size() >= before + 2);
                HttpResponse<String> accepted = service.post("/api/v1/namespaces/outage/flinkclusters/counting/savepoints", TOKEN);
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            }
            List<String> triggered = events.ofType(job.toString(), "SavepointTriggered").stream()
                    .map(e -> e.payload().path("triggerId").asText()).toList();
            Map<String, Long> ends = Stream.concat(events.ofType(job.toString(), "SavepointCompleted").stream(),
                            events.ofType(job.toString(), "SavepointFailed").stream())
                    .collect(Collectors.groupingBy(e -> e.payload().path("triggerId").asText(), Collectors.counting()));
            List<String> unfinished = triggered.subList(0, triggered.size() - 1); // the last one may still run
            assertThat(unfinished).allSatisfy(id -> assertThat(ends.get(id)).as("ends of " + id).isEqualTo(1L));
            assertThat(events.ofType(job.toString(), "SavepointCompleted"))
                    .extracting(e -> e.payload().path("triggerId").asText()).doesNotHaveDuplicates();
            try (Stream<Path> dirs = Files.list(work.resolve("savepoints"))) {
                assertThat(dirs.count()).as("savepoint directories").isGreaterThanOrEqualTo(
                        events.ofType(job.toString(), "SavepointCompleted").size());
            }
        }
    }

}

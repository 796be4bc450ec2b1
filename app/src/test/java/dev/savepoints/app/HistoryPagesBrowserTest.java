package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.test.FlinkTestCluster;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.model.JobSpec;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The history pages in a real headless browser, on a service with real history: a real Flink job with automatic
 * savepoints every 2 s, a savepoint asked for over REST that fails (its target is a file), a user control, and a
 * failure whose cause carries a {@code <script>} element, after which the job is restarted from its latest
 * savepoint. What the pages show is compared with what the REST API says, not with constants. Screenshots go to
 * app/target/screenshots on every run (docs/images holds copies).
 */
class HistoryPagesBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String NAME = "history";
    private static final String TOKEN = "history-pages-token-0123456789";
    private static final String API = "/api/v1/namespaces/default/flinkclusters/" + NAME;
    private static final String CONTROL = "flinkclusters.flinkoperator.k8s.io/user-control";
    private static final String SCRIPT = "<script>window.__injected = 1</script>";
    private static final String MARKUP = "<img src=x onerror=window.__injected=2>";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void anOnCallPersonSeesAgesFailuresActionsAndNewSavepointsAsTheyHappen() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path savepoints = work.resolve("savepoints");
        Path fail = work.resolve("fail");
        Path notADirectory = Files.writeString(work.resolve("not-a-directory"), "a file where savepoints should go");
        try (FlinkTestCluster flink = FlinkTestCluster.start(port);
             MockApiServer api = new MockApiServer();
             ServiceInstance service = ServiceInstance.startWeb(PostgresTestDatabase.newDatabase("pages"),
                     FlinkJobs.serviceOn(flink, "savepoints.k8s.enabled=true", "savepoints.k8s.master-url=" + api.masterUrl(),
                             "savepoints.query.tokens.alice=" + TOKEN,
                             "savepoints.command.restart-backoff-initial=1s"))) {
            api.kubectl.resource(flinkCluster(savepoints, fail)).create();
            awaitHistory(service, h -> completed(h).size() >= 3);

            // alice asks for a savepoint while the target is a file: it fails, with Flink's cause
            api.edit("default", NAME, c -> {
                c.getSpec().getJob().setSavepointsDir(notADirectory.toUri().toString());
                return c;
            });
            String asked = await().atMost(WAIT).until(() -> askForSavepoint(service), id -> id != null);
            JsonNode failed = await().atMost(WAIT).until(() -> row(history(service), asked),
                    r -> r != null && "FAILED".equals(r.path("outcome").asText()));
            assertThat(failed.path("failureCause").asText()).isNotBlank();
            api.edit("default", NAME, c -> {
                c.getSpec().getJob().setSavepointsDir(savepoints.toUri().toString());
                return c;
            });
            awaitHistory(service, h -> "COMPLETED".equals(h.get(0).path("outcome").asText()));

            // a user control, then a failure whose cause carries markup, and the restart from the latest savepoint
            api.annotate("default", NAME, CONTROL, "savepoint", "kubectl-annotate");
            await().atMost(WAIT).until(() -> audit(service, "actor=kubectl-annotate").stream()
                    .anyMatch(a -> "control:savepoint".equals(a.path("action").asText())
                            && "SUCCEEDED".equals(a.path("outcome").asText())));
            api.annotate("default", NAME, CONTROL, MARKUP, "kubectl-annotate"); // refused: its value is kept as text
            await().atMost(WAIT).until(() -> audit(service, "decision=REJECTED").stream()
                    .anyMatch(a -> ("control:" + MARKUP).equals(a.path("action").asText())));
            Files.writeString(fail, SCRIPT);
            awaitCluster(api, c -> Set.of("Failed", "Restarting").contains(job(c).getState()));
            Files.delete(fail);
            String run = job(awaitCluster(api, c -> Integer.valueOf(1).equals(job(c).getRestartCount())
                    && "Running".equals(job(c).getState()))).getId();
            awaitHistory(service, h -> !completed(h).isEmpty() && run.equals(completed(h).get(0).path("flinkJobId").asText()));

            // every series the alert rules read is one this service exports
            String scraped = service.get("/actuator/prometheus").body();
            for (String series : AlertRules.series()) {
                assertThat(scraped).as("exported: " + series).containsPattern("(?m)^" + series + "\\{");
            }

            try (Browser browser = Browser.start(work.resolve("chromium"))) {
                String base = "http://127.0.0.1:" + service.port();
                WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));

                // the overview: the job's state and age as the REST API has them, the cause as text
                Instant before = Instant.now();
                browser.driver.get(base + "/ui");
                Instant after = Instant.now();
                WebElement row = browser.driver.findElement(By.cssSelector("tr.job[data-name='" + NAME + "']"));
                JsonNode status = json(service.get(API));
                assertThat(row.findElement(By.cssSelector("td.state")).getText()).isEqualTo(status.path("state").asText())
                        .isEqualTo("Running");
                Instant last = Instant.parse(row.findElement(By.cssSelector("time")).getAttribute("datetime"));
                assertThat(history(service)).as("the last savepoint shown is one that completed")
                        .anyMatch(h -> "COMPLETED".equals(h.path("outcome").asText())
                                && last.equals(Instant.parse(h.path("completedAt").asText())));
                long shownAge = Long.parseLong(row.findElement(By.cssSelector("td.age")).getAttribute("data-age-seconds"));
                assertThat(shownAge).as("age: from the last savepoint to when the page was asked for")
                        .isBetween(Duration.between(last, before).toSeconds() - 1, Duration.between(last, after).toSeconds() + 1);
                assertThat(row.findElement(By.cssSelector(".verdict")).getText()).isEqualTo("fine");
                assertThat(status.path("staleness").asText()).isEqualTo("FINE");
                assertThat(Instant.parse(status.path("savepointAgeFrom").asText())).as("the age's start, over REST")
                        .isAfterOrEqualTo(last);
                assertThat(row.findElement(By.cssSelector("td.cause")).getText()).contains(SCRIPT);
                assertThat(browser.script("return window.__injected")).as("the cause's script did not run").isNull();
                assertThat(Long.parseLong(row.findElement(By.cssSelector("td.failures")).getText()))
                        .isEqualTo(history(service).stream().filter(h -> Set.of("FAILED", "TIMED_OUT")
                                .contains(h.path("outcome").asText())).count());
                browser.screenshot("overview");

                // the job page: the timeline draws every savepoint of the hour and the job's actions
                int known = history(service).size();
                browser.driver.get(base + "/ui/namespaces/default/flinkclusters/" + NAME + "?window=5m");
                WebElement timeline = browser.driver.findElement(By.id("timeline"));
                wait.until(d -> timeline.getAttribute("data-points") != null);
                assertThat(timeline.getAttribute("data-error")).isNull();
                assertThat(timeline.findElements(By.tagName("canvas"))).isNotEmpty();
                assertThat(Integer.parseInt(timeline.getAttribute("data-points"))).isGreaterThanOrEqualTo(known);
                assertThat(Integer.parseInt(timeline.getAttribute("data-failed"))).isGreaterThanOrEqualTo(1);
                assertThat(Integer.parseInt(timeline.getAttribute("data-marks"))).as("register, control, restart, spec changes")
                        .isGreaterThanOrEqualTo(3);
                assertThat(browser.driver.findElement(By.cssSelector("#summary pre.cause")).getText()).contains(SCRIPT);
                browser.screenshot("job");

                // a new savepoint appears in the open page without a reload
                browser.script("window.__samePage = true");
                String newest = history(service).get(0).path("triggerId").asText();
                String next = await().atMost(WAIT).until(() -> completed(history(service)).get(0).path("triggerId").asText(),
                        id -> !id.equals(newest));
                wait.until(d -> !d.findElements(By.cssSelector("tr.savepoint[data-trigger-id='" + next + "']")).isEmpty());
                assertThat(browser.script("return window.__samePage")).isEqualTo(true);

                // the audit log filtered by actor, and from an action to the savepoint it asked for
                browser.driver.get(base + "/ui/audit");
                browser.driver.findElement(By.cssSelector("#audit-filters input[name='actor']")).sendKeys("alice");
                browser.driver.findElement(By.cssSelector("#audit-filters button[type='submit']")).click();
                wait.until(d -> d.getCurrentUrl().contains("actor=alice"));
                List<String> actors = browser.driver.findElements(By.cssSelector("#audit-log td.actor")).stream()
                        .map(WebElement::getText).toList();
                assertThat(actors).isNotEmpty().containsOnly("alice")
                        .hasSize(audit(service, "actor=alice").size());
                browser.screenshot("audit");
                browser.driver.findElement(By.cssSelector("#audit-log a[href*='savepoint=" + asked + "']")).click();
                wait.until(d -> !d.findElements(By.id("selected")).isEmpty());
                assertThat(browser.driver.findElement(By.cssSelector("#selected pre.cause")).getText())
                        .isEqualTo(failed.path("failureCause").asText());
                browser.screenshot("savepoint");

                // an annotation's value, refused, is shown as the text it was
                browser.driver.get(base + "/ui/audit?action=control");
                assertThat(browser.driver.findElements(By.cssSelector("#audit-log td.action-name")).stream()
                        .map(WebElement::getText)).contains("control:savepoint", "control:" + MARKUP);
                assertThat(browser.driver.findElements(By.cssSelector("#audit-log img"))).as("markup is text").isEmpty();
                assertThat(browser.script("return window.__injected")).isNull();

                // with the schedule off, the page's age and the gauge's are one computation of one instant
                api.edit("default", NAME, c -> {
                    c.getSpec().getJob().setAutoSavepointSeconds(0);
                    return c;
                });
                awaitHistory(service, h -> h.stream().noneMatch(r -> "IN_PROGRESS".equals(r.path("outcome").asText())));
                // (the gauges are refreshed from the read model every 5 s: until then they may show the schedule)
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(service.metric("savepoint_interval_seconds", "name", NAME)).as("no schedule, no interval")
                            .isNaN();
                    browser.driver.get(base + "/ui");
                    WebElement unscheduled = browser.driver.findElement(By.cssSelector("tr.job[data-name='" + NAME + "']"));
                    assertThat(unscheduled.findElement(By.cssSelector(".verdict")).getText()).isEqualTo("no schedule");
                    long pageAge = Long.parseLong(unscheduled.findElement(By.cssSelector("td.age"))
                            .getAttribute("data-age-seconds"));
                    assertThat(service.metric("savepoint_age_seconds", "name", NAME)).isBetween(pageAge - 1.0, pageAge + 2.0);
                });

                // a service that stops answering: the open page says since when its numbers are old
                browser.driver.get(base + "/ui/namespaces/default/flinkclusters/" + NAME);
                wait.until(d -> d.findElement(By.id("live")).getText().startsWith("live ·"));
                service.stopWebServer();
                wait.until(d -> d.findElement(By.id("live")).getText().startsWith("not refreshed since"));
                browser.screenshot("stale");
            }

        }
    }

    private FlinkCluster flinkCluster(Path savepoints, Path fail) {
        JobSpec job = FlinkClusters.countingJob(work.resolve("count"), fail, savepoints);
        job.setAutoSavepointSeconds(2);
        job.setRestartPolicy(JobSpec.RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
        return FlinkClusters.manifest("default", NAME, job);
    }

    /** The trigger id of a savepoint asked for over REST; null while another is in progress. */
    private static String askForSavepoint(ServiceInstance service) throws Exception {
        HttpResponse<String> answer = service.post(API + "/savepoints", TOKEN);
        return answer.statusCode() == 202 ? json(answer).path("triggerId").asText() : null;
    }

    private static JsonNode json(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
        return JSON.readTree(answer.body());
    }

    /** The job's whole history, newest first. */
    private static List<JsonNode> history(ServiceInstance service) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        json(service.get(API + "/savepoints?limit=500")).path("items").forEach(rows::add);
        return rows;
    }

    private static List<JsonNode> audit(ServiceInstance service, String query) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        json(service.get("/api/v1/audit?limit=500&" + query)).path("items").forEach(rows::add);
        return rows;
    }

    private static List<JsonNode> awaitHistory(ServiceInstance service, Predicate<List<JsonNode>> condition) {
        return await().atMost(WAIT).until(() -> history(service), h -> !h.isEmpty() && condition.test(h));
    }

    private static List<JsonNode> completed(List<JsonNode> history) {
        return history.stream().filter(r -> "COMPLETED".equals(r.path("outcome").asText())).toList();
    }

    private static JsonNode row(List<JsonNode> history, String triggerId) {
        return history.stream().filter(r -> triggerId.equals(r.path("triggerId").asText())).findFirst().orElse(null);
    }

    private static FlinkCluster awaitCluster(MockApiServer api, Predicate<FlinkCluster> condition) {
        return await().atMost(WAIT).until(() -> api.cluster("default", NAME).get(),
                c -> c != null && c.getStatus() != null && job(c) != null && condition.test(c));
    }

    private static FlinkClusterStatus.Job job(FlinkCluster cluster) {
        return cluster.getStatus().getComponents() == null ? null : cluster.getStatus().getComponents().getJob();
    }
}

package dev.savepoints.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.flink.rest.DisposalStatus;
import dev.savepoints.flink.rest.FlinkRestClient;
import dev.savepoints.flink.rest.SavepointStatus;
import dev.savepoints.flink.rest.UploadedJar;
import dev.savepoints.flink.test.FlinkTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway on a real Flink: jars uploaded once and again when the JobManager lost them, states mapped. */
class RestFlinkGatewayTest {

    private static final JobId JOB = JobId.of("default", "gateway");
    private static FlinkTestCluster flink;
    private static FlinkRestClient rest;
    private static RestFlinkGateway gateway;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        flink = FlinkTestCluster.start();
        rest = new FlinkRestClient(flink.restAddress(), HTTP, new ObjectMapper(), Duration.ofSeconds(10));
        gateway = new RestFlinkGateway(job -> flink.restAddress(), (job, declared) -> flink.restAddress(),
                new JarStore(HTTP, flink.workDirectory().resolve("jar-cache"), Duration.ofSeconds(30)),
                HTTP, new ObjectMapper(), Duration.ofSeconds(10), dev.savepoints.command.api.ClusterSubmitter.NONE);
    }

    @AfterAll
    static void stop() throws Exception {
        flink.close();
    }

    /** Each run writes its own count file: runs sharing one would race on it. */
    private JobArtifact countingJob(String out) {
        return new JobArtifact(FlinkTestCluster.countingJobJar().toUri().toString(),
                "dev.savepoints.flink.testjob.CountingJob", List.of("--out", work.resolve(out).toString()), 1);
    }

    private static String newJobId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void aJarIsUploadedOnceAndAgainWhenTheJobManagerLostIt() throws Exception {
        String first = gateway.submit(JOB, countingJob("first"), newJobId(), null, false);
        String second = gateway.submit(JOB, countingJob("second"), newJobId(), null, false);
        List<UploadedJar> jars = rest.jars();
        assertThat(jars).hasSize(1);
        assertThat(jars.get(0).name()).matches("[0-9a-f]{16}-flink-gateway-.*-counting-job\\.jar");

        HTTP.send(HttpRequest.newBuilder(URI.create(flink.restAddress() + "/jars/" + jars.get(0).id())).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rest.jars()).isEmpty();
        String third = gateway.submit(JOB, countingJob("third"), newJobId(), null, false);
        assertThat(rest.jars()).hasSize(1);

        for (String id : List.of(first, second, third)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.observe(JOB, id).state() == JobState.RUNNING);
            gateway.cancel(JOB, id);
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.observe(JOB, id).state() == JobState.CANCELLED);
        }
    }

    @Test
    void aDisposedSavepointsFilesAreGoneAndDisposingOfItAgainFindsItGone() throws Exception {
        String id = gateway.submit(JOB, countingJob("disposal"), newJobId(), null, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.observe(JOB, id).state() == JobState.RUNNING);
        String trigger = newJobId();
        gateway.triggerSavepoint(JOB, id, work.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL,
                trigger, false);
        String location = await().atMost(Duration.ofSeconds(30))
                .until(() -> gateway.savepointStatus(JOB, id, trigger), s -> s.state() == SavepointStatus.State.COMPLETED)
                .location();
        Path directory = Path.of(URI.create(location));
        assertThat(directory.resolve("_metadata")).exists();

        String disposal = gateway.disposeSavepoint(JOB, null, location);
        DisposalStatus done = await().atMost(Duration.ofSeconds(30))
                .until(() -> gateway.disposalStatus(JOB, null, disposal), s -> s.state() != DisposalStatus.State.IN_PROGRESS);
        assertThat(done).isEqualTo(DisposalStatus.completed());
        assertThat(directory).doesNotExist();

        String again = gateway.disposeSavepoint(JOB, null, location);
        DisposalStatus gone = await().atMost(Duration.ofSeconds(30))
                .until(() -> gateway.disposalStatus(JOB, null, again), s -> s.state() != DisposalStatus.State.IN_PROGRESS);
        assertThat(gone.state()).isEqualTo(DisposalStatus.State.GONE);
        assertThat(gone.failureCause()).contains("FileNotFoundException");
        gateway.cancel(JOB, id);
    }

    @Test
    void aJobTheJobManagerDoesNotKnowIsLost() {
        Observation observation = gateway.observe(JOB, newJobId());
        assertThat(observation.state()).isEqualTo(JobState.LOST);
        assertThat(observation.cause()).contains("does not know job");
    }

    @Test
    void aMissingJarIsUnavailableNotAFlinkFailure() {
        JobArtifact missing = new JobArtifact(work.resolve("nope.jar").toString(), "x.Y", List.of(), 1);
        assertThatThrownBy(() -> gateway.submit(JOB, missing, newJobId(), null, false))
                .isInstanceOf(JarUnavailable.class)
                .hasMessageContaining("nope.jar is not a readable file");
    }
}

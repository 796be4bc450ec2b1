package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.rest.FlinkRestClient;
import dev.savepoints.flink.rest.JarRun;
import dev.savepoints.flink.test.FlinkTestCluster;
import dev.savepoints.k8s.cluster.JobSubmitters;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.model.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jar that lives in the Flink image, submitted as the upstream operator submits it: by a Kubernetes Job running
 * {@code flink run} in the cluster. On the mock API server, where no pod runs, {@link SubmitterDouble} plays kubelet
 * for the submitter only: it carries out the {@code flink run} arguments of the Job the service created against a
 * real Flink, through Flink's REST API, taking the image's {@code /opt/flink/usrlib/counting-job.jar} to be the test's
 * counting job, and writes the pod's termination message. Through it: a first submission, one from a savepoint
 * ({@code fromSavepoint}), a restart from the latest savepoint after a failure, upgrades (new arguments, a new image)
 * from their stop savepoint, and a submission Flink refuses.
 */
class JobSubmitterIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String IMAGE_JAR = "/opt/flink/usrlib/counting-job.jar";
    private static final String CONTROL = "flinkclusters.flinkoperator.k8s.io/user-control";

    private static FlinkTestCluster flink;
    private static FlinkRestClient flinkRest;
    private static MockApiServer api;
    private static SubmitterDouble submitters;
    private static ServiceInstance service;
    /** The image of the JobManager each Flink job was submitted to. */
    private static final Map<String, String> jobManagerImages = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir
    static Path root;
    private Path work;

    @BeforeEach
    void workDirectory(TestInfo test) throws Exception {
        work = Files.createDirectories(root.resolve(test.getTestMethod().orElseThrow().getName()));
    }

    @BeforeAll
    static void start() throws Exception {
        flink = FlinkTestCluster.start();
        flinkRest = flink.restClient();
        api = new MockApiServer();
        submitters = new SubmitterDouble(api.kubectl, JobSubmitterIntegrationTest::flinkRun);
        service = ServiceInstance.start(PostgresTestDatabase.newDatabase("job_submitter"), FlinkJobs.serviceOn(flink,
                "savepoints.k8s.enabled=true", "savepoints.k8s.master-url=" + api.masterUrl(),
                "savepoints.command.upgrade-trial-period=3s"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        submitters.close();
        api.close();
        flink.close();
    }

    /** {@code flink run} of the image, carried out through Flink's REST API as the CLI would. */
    private static SubmitterDouble.Outcome flinkRun(SubmitterDouble.Run run) {
        if (!IMAGE_JAR.equals(run.jar())) {
            return new SubmitterDouble.Outcome(1, "org.apache.flink.client.program.ProgramInvocationException: "
                    + "Could not build the program from JAR file: JAR file does not exist: " + run.jar());
        }
        var jobManager = api.kubectl.apps().statefulSets().inNamespace("default")
                .withName(run.jobName().replace("-job-submitter", "-jobmanager")).get();
        jobManagerImages.put(run.flinkJobId(), jobManager.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        String jarId = flinkRest.uploadJar(FlinkTestCluster.countingJobJar(), "image-counting-job.jar").id();
        String id = flinkRest.runJar(jarId, new JarRun(run.entryClass(), run.args(), run.parallelism(), run.flinkJobId(),
                run.savepointPath(), run.allowNonRestoredState()));
        return SubmitterDouble.Outcome.submitted(id);
    }

    private JobSpec imageJob(String jar, List<String> args) {
        JobSpec job = new JobSpec();
        job.setJarFile(jar);
        job.setClassName(FlinkJobs.COUNTING_JOB);
        job.setArgs(args);
        job.setParallelism(1);
        job.setSavepointsDir(work.resolve("savepoints").toUri().toString());
        return job;
    }

    private static FlinkCluster manifest(String name, JobSpec job) {
        FlinkCluster cluster = FlinkClusters.manifest("default", name, job);
        cluster.getSpec().setOtherField("image", Map.of("name", "flink:1.20"));
        return cluster;
    }

    private static FlinkCluster awaitStatus(String name, Predicate<FlinkCluster> condition) {
        return await().atMost(WAIT).until(() -> api.cluster("default", name).get(),
                c -> c != null && c.getStatus() != null && job(c) != null && condition.test(c));
    }

    private static FlinkClusterStatus.Job job(FlinkCluster cluster) {
        return cluster.getStatus().getComponents() == null ? null : cluster.getStatus().getComponents().getJob();
    }

    private static long count(Path out) throws Exception {
        return Files.exists(out) ? Long.parseLong(Files.readString(out).trim()) : 0;
    }

    private static List<SubmitterDouble.Run> runsOf(String name) {
        return submitters.runs.stream().filter(run -> run.jobName().equals(name + "-job-submitter")).toList();
    }

    @Test
    void aJarInTheImageIsSubmittedByASubmitterJobAndRunsOnFlink() throws Exception {
        Path out = work.resolve("count");
        JobSpec declared = imageJob(IMAGE_JAR, List.of("--out", out.toString(), "--delay-ms", "10"));
        declared.setOtherField("resources", Map.of("limits", Map.of("cpu", "250m", "memory", "512Mi")));
        declared.setOtherField("securityContext", Map.of("runAsUser", 9999));
        declared.setOtherField("podLabels", Map.of("team", "streaming"));
        api.kubectl.resource(manifest("in-image", declared)).create();
        FlinkCluster running = awaitStatus("in-image", c -> "Running".equals(job(c).getState()));
        await().atMost(WAIT).until(() -> count(out) >= 20);

        assertThat(runsOf("in-image")).singleElement().satisfies(run -> {
            assertThat(run.flinkJobId()).isEqualTo(job(running).getId());
            assertThat(run.jar()).isEqualTo(IMAGE_JAR);
            assertThat(run.entryClass()).isEqualTo(FlinkJobs.COUNTING_JOB);
            assertThat(run.parallelism()).isEqualTo(1);
            assertThat(run.savepointPath()).isNull();
            assertThat(run.args()).containsExactly("--out", out.toString(), "--delay-ms", "10");
        });
        Job submitter = api.kubectl.batch().v1().jobs().inNamespace("default").withName("in-image-job-submitter").get();
        assertThat(submitter.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getName()).isEqualTo("in-image"));
        assertThat(submitter.getMetadata().getLabels()).containsEntry(JobSubmitters.FLINK_JOB_ID, job(running).getId());
        assertThat(submitter.getSpec().getBackoffLimit()).isZero();
        var pod = submitter.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("flink:1.20");
        assertThat(pod.getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(9999L);
        assertThat(submitter.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "streaming")
                .containsEntry(JobSubmitters.FLINK_JOB_ID, job(running).getId());
        assertThat(pod.getContainers().get(0).getCommand()).containsExactly("/bin/bash", "/opt/flink/conf/submit-job.sh");
        assertThat(pod.getContainers().get(0).getArgs()).startsWith("run", "--detached",
                "-Drest.address=in-image-jobmanager", "-Drest.port=8081");
        FlinkClusters.capture("job-submitter", running, api.eventsOf("default", "in-image"));

        // a new FlinkCluster started from a savepoint of this one: its first submitter restores it
        api.mergePatch("default", "in-image", "{\"metadata\":{\"annotations\":{\"" + CONTROL + "\":\"savepoint\"}}}");
        String savepoint = job(awaitStatus("in-image", c -> job(c).getSavepointLocation() != null)).getSavepointLocation();
        Path restoredOut = work.resolve("count-restored");
        CountSamples restored = new CountSamples(restoredOut);
        JobSpec fromSavepoint = imageJob(IMAGE_JAR, List.of("--out", restoredOut.toString(), "--delay-ms", "10"));
        fromSavepoint.setFromSavepoint(savepoint);
        api.kubectl.resource(manifest("from-savepoint", fromSavepoint)).create();
        FlinkCluster started = awaitStatus("from-savepoint", c -> "Running".equals(job(c).getState()));
        await().atMost(WAIT).until(() -> count(restoredOut) > 0);
        restored.close();
        assertThat(runsOf("from-savepoint")).singleElement()
                .satisfies(run -> assertThat(run.savepointPath()).isEqualTo(savepoint));
        assertThat(job(started).getFromSavepoint()).isEqualTo(savepoint);
        assertThat(restored.values()).as("it counts on from the savepoint's count (taken at 20 or more), not from 1")
                .isNotEmpty().allSatisfy(value -> assertThat(value).isGreaterThan(20L));
    }

    @Test
    void aRestartAfterAFailureAndAnUpgradeEachRunANewSubmitterFromTheirSavepoint() throws Exception {
        Path out = work.resolve("count");
        Path marker = work.resolve("fail-now");
        JobSpec job = imageJob("local://" + IMAGE_JAR, List.of("--out", out.toString(), "--delay-ms", "10",
                "--fail-marker", marker.toString()));
        job.setRestartPolicy(JobSpec.RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
        api.kubectl.resource(manifest("restarted", job)).create();
        FlinkCluster first = awaitStatus("restarted", c -> "Running".equals(job(c).getState()));
        await().atMost(WAIT).until(() -> count(out) >= 20);

        api.mergePatch("default", "restarted", "{\"metadata\":{\"annotations\":{\"" + CONTROL + "\":\"savepoint\"}}}");
        FlinkCluster saved = awaitStatus("restarted", c -> job(c).getSavepointLocation() != null);
        String savepoint = job(saved).getSavepointLocation();

        Files.writeString(marker, "fail");
        awaitStatus("restarted", c -> job(c).getRestartCount() != null || "Failed".equals(job(c).getState())
                || "Restarting".equals(job(c).getState()));
        Files.delete(marker);
        FlinkCluster restarted = awaitStatus("restarted", c -> job(c).getRestartCount() != null
                && job(c).getRestartCount() == 1 && "Running".equals(job(c).getState()));
        assertThat(job(restarted).getId()).isNotEqualTo(job(first).getId());
        assertThat(job(restarted).getFromSavepoint()).isEqualTo(savepoint);
        List<SubmitterDouble.Run> runs = runsOf("restarted");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).flinkJobId()).isEqualTo(job(restarted).getId());
        assertThat(runs.get(1).savepointPath()).isEqualTo(savepoint);
        assertThat(runs.get(1).jar()).as("local:// is the image's file system").isEqualTo(IMAGE_JAR);
        assertThat(api.kubectl.batch().v1().jobs().inNamespace("default").withName("restarted-job-submitter").get()
                .getMetadata().getLabels()).as("the earlier submitter was replaced")
                .containsEntry(JobSubmitters.FLINK_JOB_ID, job(restarted).getId());

        long before = count(out);
        Path upgradedOut = work.resolve("count-upgraded");
        api.edit("default", "restarted", c -> {
            c.getSpec().getJob().setArgs(List.of("--out", upgradedOut.toString(), "--delay-ms", "5"));
            return c;
        });
        FlinkCluster upgraded = awaitStatus("restarted", c -> c.getStatus().getControl() != null
                && "update".equals(c.getStatus().getControl().getName())
                && "Succeeded".equals(c.getStatus().getControl().getState()));
        assertThat(job(upgraded).getState()).isEqualTo("Running");
        List<SubmitterDouble.Run> all = runsOf("restarted");
        assertThat(all).hasSize(3);
        assertThat(all.get(2).savepointPath()).as("started from the upgrade's stop savepoint")
                .isEqualTo(job(upgraded).getFromSavepoint()).isNotEqualTo(savepoint);
        assertThat(all.get(2).args()).containsExactly("--out", upgradedOut.toString(), "--delay-ms", "5");
        await().atMost(WAIT).until(() -> count(upgradedOut) > before);
    }

    @Test
    void aSubmissionThatFailsInTheClusterEndsAsAFailedSubmissionInFlinksWords() {
        api.kubectl.resource(manifest("missing-jar", imageJob("/opt/flink/usrlib/missing.jar", new ArrayList<>())))
                .create();
        FlinkCluster failed = awaitStatus("missing-jar", c -> job(c).getFailureReasons() != null);
        assertThat(job(failed).getState()).isEqualTo("Failed");
        assertThat(job(failed).getFailureReasons()).singleElement().asString()
                .contains("the job submitter missing-jar-job-submitter failed", "BackoffLimitExceeded",
                        "JAR file does not exist: /opt/flink/usrlib/missing.jar");
        assertThat(runsOf("missing-jar")).as("run once: the service decides what runs again").hasSize(1);
    }

    @Test
    void aNewImageOfARunningJobIsAnUpgradeThatSubmitsTheJobToTheNewPodsFromItsStopSavepoint() throws Exception {
        Path out = work.resolve("count");
        api.kubectl.resource(manifest("reimaged", imageJob(IMAGE_JAR, List.of("--out", out.toString(), "--delay-ms", "10"))))
                .create();
        FlinkCluster before = awaitStatus("reimaged", c -> "Running".equals(job(c).getState()));
        await().atMost(WAIT).until(() -> count(out) >= 20);
        CountSamples counts = new CountSamples(out);

        api.edit("default", "reimaged", c -> {
            c.getSpec().setOtherField("image", Map.of("name", "flink:1.20.5"));
            return c;
        });
        FlinkCluster after = awaitStatus("reimaged", c -> c.getStatus().getControl() != null
                && "update".equals(c.getStatus().getControl().getName())
                && "Succeeded".equals(c.getStatus().getControl().getState()));
        long atStop = count(out);

        assertThat(job(after).getId()).isNotEqualTo(job(before).getId());
        assertThat(job(after).getState()).isEqualTo("Running");
        assertThat(after.getStatus().getState()).isEqualTo("Running");
        assertThat(jobManagerImages).containsEntry(job(before).getId(), "flink:1.20")
                .containsEntry(job(after).getId(), "flink:1.20.5");
        List<SubmitterDouble.Run> runs = runsOf("reimaged");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).savepointPath()).as("from the upgrade's stop savepoint").isNotNull()
                .isEqualTo(job(after).getFromSavepoint());
        assertThat(api.kubectl.batch().v1().jobs().inNamespace("default").withName("reimaged-job-submitter").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("flink:1.20.5");
        await().atMost(WAIT).until(() -> count(out) > atStop);
        counts.close();
        assertThat(counts.values()).as("the new version counts on from the stop savepoint's count: no drop")
                .isNotEmpty().isSorted();
        assertThat(after.getStatus().getControl().getMessage()).startsWith("upgraded: runs as " + job(after).getId());
    }
}

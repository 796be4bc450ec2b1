package dev.savepoints.app;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A stand-in for what cannot run here, kubelet running the job submitter's pod: for each submitter Job the service
 * creates on the mock API server, it reads the {@code flink run} arguments of its container, has {@code run} carry
 * them out (against a real Flink, in the tests that have one), and writes what a finished pod and the Job
 * controller leave: a pod whose container terminated with the script's termination message, and the Job's status.
 */
final class SubmitterDouble implements AutoCloseable {

    /** What one submitter's {@code flink run} asks for. */
    record Run(String jobName, String flinkJobId, String savepointPath, boolean allowNonRestoredState, Integer parallelism,
               String entryClass, String jar, List<String> args) {
    }

    /** What the pod's container ended with: the script's exit code and its termination message. */
    record Outcome(int exitCode, String message) {
        static Outcome submitted(String flinkJobId) {
            return new Outcome(0, "JobID " + flinkJobId);
        }
    }

    private final KubernetesClient kubectl;
    private final Function<Run, Outcome> run;
    private final SharedIndexInformer<Job> jobs;
    private final ExecutorService pods = Executors.newSingleThreadExecutor();
    /** Every submitter run, in order. */
    final List<Run> runs = new CopyOnWriteArrayList<>();

    SubmitterDouble(KubernetesClient kubectl, Function<Run, Outcome> run) {
        this.kubectl = kubectl;
        this.run = run;
        jobs = kubectl.batch().v1().jobs().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                pods.submit(() -> start(job));
            }

            @Override
            public void onUpdate(Job before, Job after) {
            }

            @Override
            public void onDelete(Job job, boolean unknown) {
            }
        }, 0);
    }

    static Run parse(String jobName, List<String> args) {
        String flinkJobId = null;
        String savepoint = null;
        boolean allowNonRestored = false;
        Integer parallelism = null;
        String entryClass = null;
        String jar = null;
        List<String> programArgs = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) { // args.get(0) is "run"
            String arg = args.get(i);
            if (jar != null) {
                programArgs.add(arg);
            } else if (arg.startsWith("-D$internal.pipeline.job-id=")) {
                flinkJobId = arg.substring(arg.indexOf('=') + 1);
            } else if (arg.equals("--fromSavepoint")) {
                savepoint = args.get(++i);
            } else if (arg.equals("--allowNonRestoredState")) {
                allowNonRestored = true;
            } else if (arg.equals("--parallelism")) {
                parallelism = Integer.valueOf(args.get(++i));
            } else if (arg.equals("--class")) {
                entryClass = args.get(++i);
            } else if (!arg.startsWith("-")) {
                jar = arg;
            }
        }
        return new Run(jobName, flinkJobId, savepoint, allowNonRestored, parallelism, entryClass, jar, programArgs);
    }

    private void start(Job job) {
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        // kubelet reads $$ as $ (and would expand $(NAME)): the arguments as the script gets them
        Run submitted = parse(job.getMetadata().getName(),
                container.getArgs().stream().map(arg -> arg.replace("$$", "$")).toList());
        runs.add(submitted);
        Outcome outcome;
        try {
            outcome = run.apply(submitted);
        } catch (RuntimeException e) {
            outcome = new Outcome(1, "The program finished with the following exception: " + e.getMessage());
        }
        String now = Instant.now().toString();
        kubectl.pods().inNamespace(job.getMetadata().getNamespace()).resource(new PodBuilder()
                .withNewMetadata().withName(job.getMetadata().getName() + "-" + UUID.randomUUID().toString().substring(0, 5))
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase(outcome.exitCode() == 0 ? "Succeeded" : "Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName(container.getName())
                        .withImage(container.getImage()).withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(outcome.exitCode())
                        .withReason(outcome.exitCode() == 0 ? "Completed" : "Error").withMessage(outcome.message())
                        .withStartedAt(now).withFinishedAt(now).endTerminated().endState().build())
                .endStatus().build()).create();
        Job current = kubectl.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName()).get();
        if (current == null || !current.getMetadata().getUid().equals(job.getMetadata().getUid())) {
            return; // replaced meanwhile
        }
        current.setStatus(outcome.exitCode() == 0
                ? new JobStatusBuilder().withSucceeded(1).withStartTime(now).withCompletionTime(now)
                        .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).build()
                : new JobStatusBuilder().withFailed(1).withStartTime(now)
                        .withConditions(new JobConditionBuilder().withType("Failed").withStatus("True")
                                .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
                                .build()).build());
        kubectl.resource(current).updateStatus();
    }

    @Override
    public void close() {
        jobs.close();
        pods.shutdownNow();
    }
}

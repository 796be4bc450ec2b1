package dev.savepoints.k8s.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoints.command.api.ClusterComponent;
import dev.savepoints.command.api.ClusterSubmission;
import dev.savepoints.command.api.ClusterSubmitter;
import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobId;
import dev.savepoints.k8s.in.SpecTranslator;
import dev.savepoints.k8s.model.FlinkCluster;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a job whose jar is in the Flink image as the upstream operator does: a Kubernetes Job
 * {@code {name}-job-submitter} runs {@code flink run --detached} in the cluster's image against its JobManager
 * (RestartPolicy Never, no retries: the service decides what to run again, from which savepoint) and leaves the
 * outcome in its pod's termination message. The Flink job id is the caller's ({@code $internal.pipeline.job-id}),
 * so a submitter that ran twice cannot start the job twice, and the Job is labelled with it: each call finds the
 * submission it asks about, replacing a submitter of an earlier submission. A submitter that has not ended within
 * {@code deadline} is failed by Kubernetes ({@code activeDeadlineSeconds}).
 */
public class JobSubmitters implements ClusterSubmitter {

    /** On the submitter Job and its pod: the Flink job id it submits. */
    public static final String FLINK_JOB_ID = "savepoints.dev/flink-job-id";
    public static final String CONTAINER = "main";
    /** The property that fixes the id of the job {@code flink run} submits. */
    static final String FIXED_JOB_ID = "$internal.pipeline.job-id";
    private static final Logger log = LoggerFactory.getLogger(JobSubmitters.class);

    private final KubernetesClient client;
    private final Duration deadline;

    public JobSubmitters(KubernetesClient client, Duration deadline) {
        this.client = client;
        this.deadline = deadline;
    }

    @Override
    public Optional<ClusterSubmission> submit(JobId job, JobArtifact artifact, String flinkJobId, String savepointPath,
                                              boolean allowNonRestoredState) {
        FlinkCluster resource = client.resources(FlinkCluster.class).inNamespace(job.namespace()).withName(job.name()).get();
        if (resource == null || !SpecTranslator.createsItsCluster(resource)) {
            return Optional.empty();
        }
        Readiness readiness = readiness(resource);
        if (!readiness.ours()) {
            return Optional.empty();
        }
        String name = ClusterNames.jobSubmitter(job.name());
        try {
            Job existing = client.batch().v1().jobs().inNamespace(job.namespace()).withName(name).get();
            if (existing != null && !flinkJobId.equals(labels(existing).get(FLINK_JOB_ID))) {
                if (existing.getMetadata().getDeletionTimestamp() == null) {
                    client.resource(existing).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                            .delete();
                }
                return Optional.of(ClusterSubmission.running("the job submitter of an earlier submission is being removed"));
            }
            if (existing == null) {
                // flink run gives up on a JobManager that does not answer: it is started once the cluster is up
                if (readiness.waiting().isPresent()) {
                    return Optional.of(ClusterSubmission.running(readiness.waiting().get()));
                }
                ClusterSpec spec = ClusterSpec.read(ClusterSpec.SERIALIZATION.convertValue(resource.getSpec(), JsonNode.class));
                client.resource(job(resource, spec, artifact, flinkJobId, savepointPath, allowNonRestoredState)).create();
                log.info("FlinkCluster {}: job submitter {} created for Flink job {}", job, name, flinkJobId);
                return Optional.of(ClusterSubmission.running("job submitter " + name + " created"));
            }
            return Optional.of(outcome(existing, flinkJobId));
        } catch (IllegalArgumentException e) {
            return Optional.of(ClusterSubmission.failed(e.getMessage()));
        } catch (KubernetesClientException e) {
            return Optional.of(ClusterSubmission.running("job submitter " + name + " not reached yet: " + e.getMessage()));
        }
    }

    @Override
    public Optional<String> notReady(JobId job) {
        FlinkCluster resource = client.resources(FlinkCluster.class).inNamespace(job.namespace()).withName(job.name()).get();
        if (resource == null || !SpecTranslator.createsItsCluster(resource)) {
            return Optional.empty();
        }
        return readiness(resource).waiting();
    }

    /**
     * The declared cluster as it stands, read once: not the service's (an object belongs to something else: the job
     * runs on what is there), or the first thing a submission waits for (an object missing or not as declared, the
     * JobManager's pods not ready), or ready. A declaration that cannot be made counts as ready: it is refused on
     * its own terms.
     */
    private record Readiness(boolean ours, Optional<String> waiting) {
    }

    private Readiness readiness(FlinkCluster resource) {
        List<HasMetadata> objects;
        try {
            objects = ClusterProvisioner.declared(resource);
        } catch (IllegalArgumentException e) {
            return new Readiness(true, Optional.empty());
        }
        Optional<String> waiting = Optional.empty();
        for (HasMetadata declared : objects) {
            HasMetadata actual = client.resource(declared).get();
            if (actual != null && !ClusterProvisioner.controlledBy(actual, resource.getMetadata().getUid())) {
                return new Readiness(false, Optional.empty());
            }
            if (waiting.isEmpty()) {
                waiting = waitingFor(declared, actual);
            }
        }
        return new Readiness(true, waiting);
    }

    /** What a submission waits for of one object, if anything. */
    private static Optional<String> waitingFor(HasMetadata declared, HasMetadata actual) {
        String what = declared.getKind() + " " + declared.getMetadata().getName();
        if (actual == null) {
            return Optional.of("waiting for " + what + " to be created");
        }
        if (Drift.difference(declared, Drift.hash(declared), actual) != null) {
            return Optional.of("waiting for " + what + " to take its declaration");
        }
        if (declared.getMetadata().getName().endsWith("-jobmanager") && !(declared instanceof io.fabric8.kubernetes.api.model.Service)
                && !(declared instanceof io.fabric8.kubernetes.api.model.networking.v1.Ingress)) {
            ClusterComponent pods = ClusterObservation.pods(declared.getMetadata().getName(), actual);
            if (!pods.ready()) {
                return Optional.of("waiting for the JobManager " + declared.getMetadata().getName() + " ("
                        + pods.state().word() + ", " + Objects.requireNonNullElse(pods.readyReplicas(), 0) + "/"
                        + Objects.requireNonNullElse(pods.replicas(), 1) + " pods ready)");
            }
        }
        return Optional.empty();
    }

    private ClusterSubmission outcome(Job submitter, String flinkJobId) {
        JobStatus status = submitter.getStatus();
        String name = submitter.getMetadata().getName();
        if (status != null && status.getSucceeded() != null && status.getSucceeded() > 0) {
            String message = terminationMessage(submitter, flinkJobId);
            if (message == null || !message.contains(flinkJobId)) {
                // flink run ended well but did not say it took this job (another id, or none): it is not running
                return ClusterSubmission.failed("the job submitter " + name + " ended without submitting Flink job "
                        + flinkJobId + (message == null || message.isBlank() ? "" : ": " + message.trim()));
            }
            return ClusterSubmission.submitted(message.trim());
        }
        Optional<JobCondition> failed = status == null || status.getConditions() == null ? Optional.empty()
                : status.getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
        if (failed.isPresent() || (status != null && status.getFailed() != null && status.getFailed() > 0)) {
            String message = terminationMessage(submitter, flinkJobId);
            String reason = failed.map(c -> Objects.toString(c.getReason(), "") + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                    .orElse("its pod failed");
            return ClusterSubmission.failed("the job submitter " + name + " failed (" + reason + ")"
                    + (message == null || message.isBlank() ? "" : ": " + message.trim()));
        }
        return ClusterSubmission.running("job submitter " + name + " running");
    }

    /** The termination message of the submitter's container, or null when no pod of it has ended. */
    private String terminationMessage(Job submitter, String flinkJobId) {
        List<Pod> pods = client.pods().inNamespace(submitter.getMetadata().getNamespace())
                .withLabel(FLINK_JOB_ID, flinkJobId).list().getItems();
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                ContainerStateTerminated ended = container.getState() == null ? null : container.getState().getTerminated();
                if (CONTAINER.equals(container.getName()) && ended != null) {
                    return ended.getMessage();
                }
            }
        }
        return null;
    }

    private static Map<String, String> labels(Job job) {
        return job.getMetadata().getLabels() == null ? Map.of() : job.getMetadata().getLabels();
    }

    /**
     * What {@code spec.job} declares for the submitter's pod, as the upstream operator takes it: its resources (the
     * operator's defaults when none), security context, node selection, volumes and mounts, init containers, pod
     * labels and annotations.
     */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record SubmitterPod(io.fabric8.kubernetes.api.model.ResourceRequirements resources,
                        io.fabric8.kubernetes.api.model.PodSecurityContext securityContext, Map<String, String> nodeSelector,
                        List<io.fabric8.kubernetes.api.model.Toleration> tolerations,
                        List<io.fabric8.kubernetes.api.model.Volume> volumes,
                        List<io.fabric8.kubernetes.api.model.VolumeMount> volumeMounts,
                        List<io.fabric8.kubernetes.api.model.Container> initContainers, Map<String, String> podLabels,
                        Map<String, String> podAnnotations) {

        static SubmitterPod of(FlinkCluster resource) {
            JsonNode job = ClusterSpec.SERIALIZATION.convertValue(resource.getSpec().getJob(), JsonNode.class);
            try {
                return ClusterSpec.SERIALIZATION.convertValue(job, SubmitterPod.class);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("spec.job cannot make the job submitter's pod: " + e.getMessage(), e);
            }
        }

        io.fabric8.kubernetes.api.model.ResourceRequirements resourcesOrDefault() {
            boolean none = resources == null || ((resources.getLimits() == null || resources.getLimits().isEmpty())
                    && (resources.getRequests() == null || resources.getRequests().isEmpty()));
            return none ? ClusterSpec.DEFAULT_RESOURCES : resources;
        }

        static <T> List<T> listOf(List<T> items) {
            return items == null ? List.of() : items;
        }
    }

    /** The submitter Job of {@code flinkJobId}: {@code flink run} with what the job's version asks for. */
    Job job(FlinkCluster resource, ClusterSpec spec, JobArtifact artifact, String flinkJobId, String savepointPath,
            boolean allowNonRestoredState) {
        String cluster = resource.getMetadata().getName();
        if (spec.image().name() == null || spec.image().name().isBlank()) {
            throw new IllegalArgumentException("spec.image.name is required: the Flink image the job is submitted from");
        }
        SubmitterPod pod = SubmitterPod.of(resource);
        Map<String, String> labels = new LinkedHashMap<>(ClusterNames.clusterLabels(cluster));
        labels.put(FLINK_JOB_ID, flinkJobId);
        Map<String, String> podLabels = new LinkedHashMap<>(pod.podLabels() == null ? Map.of() : pod.podLabels());
        podLabels.putAll(labels); // the submission's own labels win: the service finds its pod by them
        List<EnvVar> env = new ArrayList<>(spec.envVars());
        List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>(SubmitterPod.listOf(pod.volumeMounts()));
        mounts.add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName(FlinkPods.CONFIG_VOLUME)
                .withMountPath(FlinkPods.CONFIG_PATH).build());
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>(SubmitterPod.listOf(pod.volumes()));
        volumes.add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName(FlinkPods.CONFIG_VOLUME)
                .withNewConfigMap().withName(ClusterNames.configMap(cluster)).endConfigMap().build());
        return new JobBuilder()
                .withMetadata(ClusterObjects.meta(resource.getMetadata().getNamespace(), ClusterNames.jobSubmitter(cluster),
                        labels, ClusterObjects.owner(cluster, resource.getMetadata().getUid())))
                .withNewSpec()
                .withBackoffLimit(0)
                .withActiveDeadlineSeconds(deadline.toSeconds())
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).withAnnotations(pod.podAnnotations()).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(spec.serviceAccountName())
                .withImagePullSecrets(spec.image().pullSecrets())
                .withSecurityContext(pod.securityContext())
                .withNodeSelector(pod.nodeSelector())
                .withTolerations(SubmitterPod.listOf(pod.tolerations()))
                .withInitContainers(SubmitterPod.listOf(pod.initContainers()))
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(spec.image().name())
                .withImagePullPolicy(spec.image().pullPolicy())
                .withCommand("/bin/bash", FlinkPods.CONFIG_PATH + "/" + FlinkConfiguration.SUBMIT_SCRIPT)
                .withArgs(arguments(cluster, spec, artifact, flinkJobId, savepointPath, allowNonRestoredState).stream()
                        .map(JobSubmitters::escaped).toList())
                .withEnv(env)
                .withEnvFrom(spec.envFrom())
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withResources(pod.resourcesOrDefault())
                .withVolumeMounts(mounts)
                .endContainer()
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** As Kubernetes must pass it on: it expands {@code $(NAME)} in a container's arguments, and reads {@code $$} as {@code $}. */
    static String escaped(String argument) {
        return argument.replace("$", "$$");
    }

    /** {@code run --detached} against the cluster's JobManager, then the job's options, its jar and its arguments. */
    static List<String> arguments(String cluster, ClusterSpec spec, JobArtifact artifact, String flinkJobId,
                                  String savepointPath, boolean allowNonRestoredState) {
        List<String> args = new ArrayList<>(List.of("run", "--detached",
                "-Drest.address=" + ClusterNames.jobManagerService(cluster),
                "-Drest.port=" + spec.jobManager().port("ui", Ports.JM_UI),
                "-D" + FIXED_JOB_ID + "=" + flinkJobId));
        if (savepointPath != null) {
            args.addAll(List.of("--fromSavepoint", savepointPath));
        }
        if (allowNonRestoredState) {
            args.add("--allowNonRestoredState");
        }
        if (artifact.parallelism() != null) {
            args.addAll(List.of("--parallelism", String.valueOf(artifact.parallelism())));
        }
        if (artifact.entryClass() != null) {
            args.addAll(List.of("--class", artifact.entryClass()));
        }
        String jar = artifact.jarFile();
        args.add(jar.startsWith("local://") ? jar.substring("local://".length()) : jar.startsWith("local:") ? jar.substring(6) : jar);
        args.addAll(artifact.args() == null ? List.of() : artifact.args());
        return args;
    }
}

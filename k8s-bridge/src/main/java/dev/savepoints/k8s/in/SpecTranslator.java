package dev.savepoints.k8s.in;

import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.RetentionPolicy;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.Source;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterSpec;
import dev.savepoints.k8s.model.JobRetention;
import dev.savepoints.k8s.model.JobSpec;
import dev.savepoints.k8s.model.KeptFields;
import dev.savepoints.k8s.model.Lenient;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Reads what a FlinkCluster asks for: the job's settings, the control annotation, and who set them. */
public final class SpecTranslator {

    /** Optional: the JobManager REST address of this cluster, where it is not the default Service. */
    public static final String JOBMANAGER_URL_ANNOTATION = "savepoints.dev/jobmanager-url";
    /** Savepoints (locations or trigger ids) never disposed of while the annotation names them. */
    public static final String PINNED_SAVEPOINTS_ANNOTATION = RetentionPolicy.PIN_ANNOTATION;
    static final int DEFAULT_UI_PORT = 8081;
    /**
     * Kubernetes' own limits: a name is a DNS subdomain (253 characters), a namespace a DNS label (63). The job id
     * namespace/name (317) fits every column that holds it (V8__long_job_ids.sql).
     */
    static final int MAX_NAME = 253;
    static final int MAX_NAMESPACE = 63;

    private SpecTranslator() {
    }

    public static JobId jobId(FlinkCluster cluster) {
        return JobId.of(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
    }

    /** True when the resource asks for a job to be managed: it has a {@code spec.job}, readable or not. */
    public static boolean hasJob(FlinkCluster cluster) {
        FlinkClusterSpec spec = cluster.getSpec();
        return spec != null && (spec.getJob() != null || spec.unreadable().containsKey("job")
                || spec.unreadable().containsKey(""));
    }

    /**
     * What cannot be read in the parts of the resource the service uses, each with its path, e.g.
     * {@code spec.job.autoSavepointSeconds must be a whole number, was "abc"}; empty when everything can.
     */
    public static Optional<String> unreadable(FlinkCluster cluster) {
        List<String> problems = new ArrayList<>();
        String namespace = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        if (name != null && name.length() > MAX_NAME) {
            problems.add("metadata.name is longer than " + MAX_NAME + " characters");
        }
        if (namespace != null && namespace.length() > MAX_NAMESPACE) {
            problems.add("metadata.namespace is longer than " + MAX_NAMESPACE + " characters");
        }
        FlinkClusterSpec spec = cluster.getSpec();
        if (spec != null) {
            collect("spec", spec, problems);
            if (spec.getJob() != null) {
                collect("spec.job", spec.getJob(), problems);
                if (spec.getJob().getRetention() != null) {
                    collect("spec.job.retention", spec.getJob().getRetention(), problems);
                }
            }
            if (spec.getJobManager() != null) {
                collect("spec.jobManager", spec.getJobManager(), problems);
                if (spec.getJobManager().getPorts() != null) {
                    collect("spec.jobManager.ports", spec.getJobManager().getPorts(), problems);
                }
            }
        }
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        String url = annotations == null ? null : annotations.get(JOBMANAGER_URL_ANNOTATION);
        if (url != null && url.length() > Lenient.MAX_TEXT) {
            problems.add("annotation " + JOBMANAGER_URL_ANNOTATION + " is longer than " + Lenient.MAX_TEXT + " characters");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static void collect(String path, KeptFields part, List<String> problems) {
        part.unreadable().forEach((field, problem) -> problems.add((field.isEmpty() ? path : path + "." + field) + " " + problem));
    }

    public static JobSettings settings(FlinkCluster cluster) {
        return settings(cluster, null);
    }

    /** The job's settings, on the Flink cluster of revision {@code clusterRevision} (null: one the service did not create). */
    public static JobSettings settings(FlinkCluster cluster, String clusterRevision) {
        JobSpec job = cluster.getSpec().getJob();
        JobArtifact artifact = job.getJarFile() == null && job.getClassName() == null ? null
                : new JobArtifact(job.getJarFile(), job.getClassName(), job.getArgs(), job.getParallelism());
        return new JobSettings(job.getSavepointsDir(), job.getAutoSavepointSeconds(),
                job.getRestartPolicy() == JobSpec.RestartPolicy.FROM_SAVEPOINT_ON_FAILURE
                        ? RestartPolicy.FROM_SAVEPOINT_ON_FAILURE : RestartPolicy.NEVER,
                job.getFromSavepoint(), Boolean.TRUE.equals(job.getAllowNonRestoredState()),
                job.getSavepointFormatType() == JobSpec.SavepointFormatType.NATIVE
                        ? SavepointFormatType.NATIVE : SavepointFormatType.CANONICAL,
                job.getMaxStateAgeToRestoreSeconds(), !Boolean.FALSE.equals(job.getTakeSavepointOnUpdate()), artifact,
                jobManagerUrl(cluster), clusterRevision, retention(cluster));
    }

    /**
     * What the resource declares about retention: {@code spec.job.retention}, and the savepoints pinned by the
     * annotation (locations or trigger ids, separated by commas, spaces or new lines); null when it declares nothing.
     */
    static RetentionPolicy retention(FlinkCluster cluster) {
        JobRetention declared = cluster.getSpec().getJob().getRetention();
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        String pins = annotations == null ? null : annotations.get(PINNED_SAVEPOINTS_ANNOTATION);
        List<String> pinned = pins == null ? List.of()
                : Arrays.stream(pins.split("[,\\s]+")).filter(p -> !p.isBlank()).toList();
        if (declared == null && pinned.isEmpty()) {
            return null;
        }
        return declared == null ? new RetentionPolicy(null, null, null, null, pinned)
                : new RetentionPolicy(declared.getMaxCount(), declared.getMaxAgeSeconds(), declared.getDisposeExternal(),
                        declared.getDisposeOnDeletion(), pinned);
    }

    /** Whether the deleted resource asked for its savepoints to be disposed of; null when it did not say. */
    static Boolean disposeOnDeletion(FlinkCluster cluster) {
        JobRetention declared = cluster.getSpec() == null || cluster.getSpec().getJob() == null ? null
                : cluster.getSpec().getJob().getRetention();
        return declared == null ? null : declared.getDisposeOnDeletion();
    }

    /** The annotation's address, or the default Service on a non-default UI port; null for the default. */
    static String jobManagerUrl(FlinkCluster cluster) {
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        if (annotations != null && annotations.get(JOBMANAGER_URL_ANNOTATION) != null) {
            return annotations.get(JOBMANAGER_URL_ANNOTATION);
        }
        Integer ui = cluster.getSpec().getJobManager() == null || cluster.getSpec().getJobManager().getPorts() == null
                ? null : cluster.getSpec().getJobManager().getPorts().getUi();
        if (ui == null || ui == DEFAULT_UI_PORT) {
            return null;
        }
        return "http://" + cluster.getMetadata().getName() + "-jobmanager." + cluster.getMetadata().getNamespace()
                + ".svc:" + ui;
    }

    /**
     * True when the service creates the resource's Flink cluster: it declares one ({@code spec.image}, which the
     * upstream operator requires) and names no JobManager of its own. Without an image there is nothing to create,
     * and the JobManager is expected at the default Service, as before the service created clusters.
     */
    public static boolean createsItsCluster(FlinkCluster cluster) {
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        return cluster.getSpec() != null && cluster.getSpec().getOtherFields().containsKey("image")
                && (annotations == null || annotations.get(JOBMANAGER_URL_ANNOTATION) == null);
    }

    /**
     * Whether the resource's status shows its job running on Flink: its cluster's pods are then changed by an
     * upgrade, after the job is stopped with a savepoint, not at once. A job deploying, or whose JobManager cannot be
     * reached, cannot be stopped so: a new declaration (a fix of a broken JobManager, say) is applied at once.
     */
    public static boolean jobOnFlink(FlinkCluster cluster) {
        var status = cluster.getStatus();
        String state = status == null || status.getComponents() == null || status.getComponents().getJob() == null ? null
                : status.getComponents().getJob().getState();
        return "Running".equals(state);
    }

    public static Optional<String> control(FlinkCluster cluster) {
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(ControlName.ANNOTATION));
    }

    /** Who last changed the spec: the field manager that owns {@code spec} fields, with its time. */
    public static RequestedBy specActor(FlinkCluster cluster) {
        return actor(cluster, Source.KUBERNETES_SPEC, "f:spec");
    }

    /** Who set the control annotation, with its time. */
    public static RequestedBy annotationActor(FlinkCluster cluster) {
        return actor(cluster, Source.KUBERNETES_ANNOTATION, "f:" + ControlName.ANNOTATION);
    }

    private static RequestedBy actor(FlinkCluster cluster, Source source, String field) {
        List<ManagedFieldsEntry> entries = cluster.getMetadata().getManagedFields();
        if (entries == null) {
            return new RequestedBy(null, source, null);
        }
        return entries.stream()
                .filter(entry -> entry.getFieldsV1() != null && mentions(entry.getFieldsV1().getAdditionalProperties(), field))
                .max(Comparator.comparing(entry -> Objects.toString(entry.getTime(), "")))
                .map(entry -> new RequestedBy(entry.getManager(), source, instant(entry.getTime())))
                .orElse(new RequestedBy(null, source, null));
    }

    private static boolean mentions(Object fields, String field) {
        if (fields instanceof Map<?, ?> map) {
            return map.containsKey(field) || map.values().stream().anyMatch(value -> mentions(value, field));
        }
        return false;
    }

    private static Instant instant(String time) {
        try {
            return time == null ? null : Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

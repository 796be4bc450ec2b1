package dev.savepoints.k8s.out;

import dev.savepoints.command.api.JobId;
import dev.savepoints.k8s.in.SpecTranslator;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.ResourceNotFoundException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the API server: status-only changes retried on conflict, the removal of the control annotation (a
 * JSON patch {@code remove}), and Kubernetes Events on the FlinkCluster.
 */
public class ClusterStatusPatcher {

    static final int ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(ClusterStatusPatcher.class);
    private static final String ANNOTATION_PATH = "/metadata/annotations/"
            + SpecTranslator.CONTROL_ANNOTATION.replace("~", "~0").replace("/", "~1");

    private final KubernetesClient client;
    /** The uid of each FlinkCluster as last written: Events name it, or kubectl describe does not list them. */
    private final Map<JobId, String> uids = new ConcurrentHashMap<>();

    public ClusterStatusPatcher(KubernetesClient client) {
        this.client = client;
    }

    /** Applies {@code change} to the status; a resource that no longer exists is left alone. */
    public void status(JobId job, Consumer<FlinkClusterStatus> change) {
        var resource = client.resources(FlinkCluster.class).inNamespace(job.namespace()).withName(job.name());
        for (int attempt = 1; ; attempt++) {
            try {
                FlinkCluster written = resource.editStatus(cluster -> {
                    if (cluster.getStatus() == null) {
                        cluster.setStatus(new FlinkClusterStatus());
                    }
                    change.accept(cluster.getStatus());
                    return cluster;
                });
                uids.put(job, written.getMetadata().getUid());
                return;
            } catch (ResourceNotFoundException e) {
                uids.remove(job);
                return; // the FlinkCluster was deleted
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    uids.remove(job);
                    return;
                }
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
                log.debug("Status of {} changed meanwhile; writing again", job);
            }
        }
    }

    /** Removes the control annotation once its control has ended; nothing when it is gone already. */
    public void removeControlAnnotation(JobId job) {
        try {
            client.resources(FlinkCluster.class).inNamespace(job.namespace()).withName(job.name())
                    .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"" + ANNOTATION_PATH + "\"}]");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 422) {
                throw e;
            }
        }
    }

    /** A Kubernetes Event on the FlinkCluster; failing to record one never stops the status from being written. */
    public void event(JobId job, boolean warning, String reason, String message) {
        String now = Instant.now().toString();
        try {
            String uid = uids.computeIfAbsent(job, this::uidOf);
            client.v1().events().inNamespace(job.namespace()).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(job.name() + ".").withNamespace(job.namespace()).endMetadata()
                    .withNewInvolvedObject().withApiVersion("flinkoperator.k8s.io/v1beta1").withKind("FlinkCluster")
                    .withName(job.name()).withNamespace(job.namespace()).withUid(uid).endInvolvedObject()
                    .withType(warning ? "Warning" : "Normal").withReason(reason)
                    .withMessage(message == null ? "" : message.length() > 1000 ? message.substring(0, 1000) + "…" : message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("savepoint-orchestrator").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            log.warn("Event {} on {} not recorded: {}", reason, job, e.getMessage());
        }
    }

    /** Null when the FlinkCluster is gone: its Event is still recorded, by name. */
    private String uidOf(JobId job) {
        FlinkCluster cluster = client.resources(FlinkCluster.class).inNamespace(job.namespace()).withName(job.name()).get();
        return cluster == null ? null : cluster.getMetadata().getUid();
    }
}

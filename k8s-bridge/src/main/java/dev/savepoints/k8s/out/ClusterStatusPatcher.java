package dev.savepoints.k8s.out;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.Texts;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write to the API server, each guarded by the resource's uid (a JSON patch that first tests
 * {@code /metadata/uid}), so that a write meant for one FlinkCluster never lands on a re-created one of the same name:
 * the whole status (status subresource), the removal of the control annotation, and Kubernetes Events. Writes are
 * counted in {@code k8s_api_writes_total{kind}}.
 */
public class ClusterStatusPatcher {

    /** What became of a write. */
    public enum Outcome {
        WRITTEN,
        /** The resource it was meant for is gone (deleted, or replaced by another of the same name). */
        GONE
    }

    static final int ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(ClusterStatusPatcher.class);
    private static final String ANNOTATION_PATH = "/metadata/annotations/"
            + ControlName.ANNOTATION.replace("~", "~0").replace("/", "~1");
    /** An Event's name is its prefix and five random characters; a name has at most 253. */
    private static final int EVENT_PREFIX = 240;

    private final KubernetesClient client;
    private final MeterRegistry metrics;

    public ClusterStatusPatcher(KubernetesClient client, MeterRegistry metrics) {
        this.client = client;
        this.metrics = metrics;
    }

    /** Replaces the status of the resource {@code uid} with {@code status}. */
    public Outcome writeStatus(JobId job, String uid, FlinkClusterStatus status) {
        ArrayNode patch = guard(uid);
        patch.addObject().put("op", "add").put("path", "/status").set("value", tree(status));
        return patch(job, uid, "status", patch);
    }

    /** Removes the control annotation of the resource {@code uid}; nothing when it is gone already. */
    public void removeControlAnnotation(JobId job, String uid) {
        ArrayNode patch = guard(uid);
        patch.addObject().put("op", "remove").put("path", ANNOTATION_PATH);
        patch(job, uid, "annotation", patch);
    }

    /**
     * Changes the status as it stands (read, changed, written if no one wrote in between): for the bridge's own
     * refusals, which have no status model behind them.
     */
    public Outcome changeStatus(JobId job, String uid, UnaryOperator<FlinkClusterStatus> change) {
        for (int attempt = 1; ; attempt++) {
            FlinkCluster current = client.resources(FlinkCluster.class).inNamespace(job.namespace()).withName(job.name()).get();
            if (current == null || !uid.equals(current.getMetadata().getUid())) {
                return Outcome.GONE;
            }
            FlinkClusterStatus changed = change.apply(current.getStatus() == null || !current.getStatus().unreadable().isEmpty()
                    ? new FlinkClusterStatus() : current.getStatus());
            ArrayNode patch = guard(uid);
            patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
                    .put("value", current.getMetadata().getResourceVersion());
            patch.addObject().put("op", "add").put("path", "/status").set("value", tree(changed));
            try {
                send(job, "status", patch);
                return Outcome.WRITTEN;
            } catch (KubernetesClientException e) {
                if ((e.getCode() != 422 && e.getCode() != 409) || attempt == ATTEMPTS) {
                    throw e;
                }
                log.debug("Status of {} changed meanwhile; writing again", job);
            }
        }
    }

    /** A Kubernetes Event on the FlinkCluster {@code uid}; failing to record one never stops the status. */
    public void event(JobId job, String uid, boolean warning, String reason, String message) {
        String now = Instant.now().toString();
        String prefix = job.name().length() > EVENT_PREFIX ? job.name().substring(0, EVENT_PREFIX) : job.name();
        try {
            client.v1().events().inNamespace(job.namespace()).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(prefix + ".").withNamespace(job.namespace()).endMetadata()
                    .withNewInvolvedObject().withApiVersion("flinkoperator.k8s.io/v1beta1").withKind("FlinkCluster")
                    .withName(job.name()).withNamespace(job.namespace()).withUid(uid).endInvolvedObject()
                    .withType(warning ? "Warning" : "Normal").withReason(reason)
                    .withMessage(message == null ? "" : Texts.fit(message, 1001))
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("savepoint-orchestrator").endSource()
                    .build()).create();
            count("event");
        } catch (KubernetesClientException e) {
            log.warn("Event {} on {} not recorded: {}", reason, job, e.getMessage());
        }
    }

    private JsonNode tree(FlinkClusterStatus status) {
        return client.getKubernetesSerialization().convertValue(status, JsonNode.class);
    }

    private ArrayNode guard(String uid) {
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        patch.addObject().put("op", "test").put("path", "/metadata/uid").put("value", uid);
        return patch;
    }

    private Outcome patch(JobId job, String uid, String kind, ArrayNode patch) {
        try {
            send(job, kind, patch);
            return Outcome.WRITTEN;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Outcome.GONE;
            }
            if (e.getCode() == 422) { // a test that failed: another resource of this name, or no annotation to remove
                FlinkCluster current = client.resources(FlinkCluster.class).inNamespace(job.namespace())
                        .withName(job.name()).get();
                if (current == null || !uid.equals(current.getMetadata().getUid())) {
                    return Outcome.GONE;
                }
                if ("annotation".equals(kind)) {
                    return Outcome.WRITTEN;
                }
            }
            throw e;
        }
    }

    private void send(JobId job, String kind, ArrayNode patch) {
        // the resource by name alone: with no item to start from, the client would read it first
        FlinkCluster target = new FlinkCluster();
        target.setMetadata(new ObjectMetaBuilder().withNamespace(job.namespace()).withName(job.name()).build());
        var resource = client.resource(target);
        String body = patch.toString();
        count(kind);
        if ("status".equals(kind)) {
            resource.subresource("status").patch(PatchContext.of(PatchType.JSON), body);
        } else {
            resource.patch(PatchContext.of(PatchType.JSON), body);
        }
    }

    private void count(String kind) {
        metrics.counter("k8s_api_writes", "kind", kind).increment();
    }
}

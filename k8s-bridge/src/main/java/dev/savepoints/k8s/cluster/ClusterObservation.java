package dev.savepoints.k8s.cluster;

import dev.savepoints.command.api.ClusterComponent;
import dev.savepoints.command.api.ClusterComponents;
import dev.savepoints.command.api.status.ComponentState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.function.Function;

/**
 * The state of a Flink cluster's objects as their own status tells it, in the operator's words: an object that is
 * missing is {@code Deleted}; a ConfigMap or Service that exists is {@code Ready}; a StatefulSet or Deployment is
 * {@code Ready} when as many pods as it asks for are ready (for a Deployment, available), all of its current
 * declaration and none of an earlier one, {@code Updating} while its controller has not yet taken a new declaration
 * or pods of an earlier one are still there, else {@code NotReady}.
 */
final class ClusterObservation {

    private ClusterObservation() {
    }

    /** The components of {@code declared} (the cluster's objects), each as {@code actual} finds it (null: missing). */
    static ClusterComponents of(List<HasMetadata> declared, Function<HasMetadata, HasMetadata> actual) {
        ClusterComponent configMap = null;
        ClusterComponent jobManager = null;
        ClusterComponent jobManagerService = null;
        ClusterComponent taskManager = null;
        for (HasMetadata object : declared) {
            String name = object.getMetadata().getName();
            HasMetadata found = actual.apply(object);
            if (object instanceof ConfigMap) {
                configMap = ClusterComponent.of(name, found == null ? ComponentState.DELETED : ComponentState.READY);
            } else if (object instanceof Service && name.endsWith("-jobmanager")) {
                jobManagerService = ClusterComponent.of(name, found == null ? ComponentState.DELETED : ComponentState.READY);
            } else if (object instanceof StatefulSet || object instanceof Deployment) {
                ClusterComponent pods = pods(name, found);
                if (name.endsWith("-jobmanager")) {
                    jobManager = pods;
                } else {
                    taskManager = pods;
                }
            }
        }
        return new ClusterComponents(configMap, jobManager, jobManagerService, taskManager);
    }

    static ClusterComponent pods(String name, HasMetadata found) {
        if (found == null) {
            return new ClusterComponent(name, ComponentState.DELETED, null, null);
        }
        Integer wanted;
        Integer ready;
        Integer updated;
        Integer current;
        Long observedGeneration;
        boolean sameRevision;
        if (found instanceof StatefulSet set) {
            var status = set.getStatus();
            wanted = set.getSpec().getReplicas();
            ready = status == null ? null : status.getReadyReplicas();
            updated = status == null ? null : status.getUpdatedReplicas();
            current = status == null ? null : status.getReplicas();
            observedGeneration = status == null ? null : status.getObservedGeneration();
            sameRevision = status == null || status.getUpdateRevision() == null
                    || status.getUpdateRevision().equals(status.getCurrentRevision());
        } else {
            Deployment deployment = (Deployment) found;
            var status = deployment.getStatus();
            wanted = deployment.getSpec().getReplicas();
            ready = status == null ? null : status.getAvailableReplicas();
            updated = status == null ? null : status.getUpdatedReplicas();
            current = status == null ? null : status.getReplicas();
            observedGeneration = status == null ? null : status.getObservedGeneration();
            sameRevision = true;
        }
        int want = wanted == null ? 1 : wanted;
        int readyNow = ready == null ? 0 : ready;
        int updatedNow = updated == null ? 0 : updated; // left out of the status while it is 0
        int podsNow = current == null ? 0 : current;
        Long generation = found.getMetadata().getGeneration();
        ComponentState state;
        if (observedGeneration == null) {
            state = ComponentState.NOT_READY; // its controller has not looked at it yet
        } else if ((generation != null && observedGeneration < generation) || updatedNow < want || podsNow > want
                || !sameRevision) {
            state = ComponentState.UPDATING; // pods of an earlier declaration are still there, or not all new ones
        } else {
            state = readyNow >= want ? ComponentState.READY : ComponentState.NOT_READY;
        }
        return new ClusterComponent(name, state, want, readyNow);
    }
}

package dev.savepoints.app;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;

/**
 * A stand-in for what cannot run here, kubelet and the StatefulSet and Deployment controllers: every StatefulSet and
 * Deployment on the mock API server is given the status of one whose pods all started and are ready (each of its
 * current declaration). The service reads that status as it reads a real one; nothing else is faked.
 */
final class PodsReadyDouble implements AutoCloseable {

    private final KubernetesClient kubectl;
    private final SharedIndexInformer<StatefulSet> statefulSets;
    private final SharedIndexInformer<Deployment> deployments;
    private volatile boolean paused;

    PodsReadyDouble(KubernetesClient kubectl) {
        this.kubectl = kubectl;
        statefulSets = kubectl.apps().statefulSets().inAnyNamespace().inform(handler(this::ready), 0);
        deployments = kubectl.apps().deployments().inAnyNamespace().inform(handler(this::ready), 0);
    }

    /** While paused, new pods do not become ready (as when a node is gone or an image cannot be pulled). */
    void pause(boolean pause) {
        paused = pause;
    }

    private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> ready) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                ready.accept(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                ready.accept(after);
            }

            @Override
            public void onDelete(T object, boolean unknown) {
            }
        };
    }

    private void ready(StatefulSet set) {
        int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        long generation = set.getMetadata().getGeneration() == null ? 1 : set.getMetadata().getGeneration();
        var status = set.getStatus();
        if (paused || status != null && Objects.equals(status.getReadyReplicas(), replicas)
                && Objects.equals(status.getObservedGeneration(), generation)) {
            return;
        }
        set.setStatus(new StatefulSetStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                .withCurrentReplicas(replicas).withUpdatedReplicas(replicas).withAvailableReplicas(replicas)
                .withCurrentRevision(set.getMetadata().getName() + "-" + generation)
                .withUpdateRevision(set.getMetadata().getName() + "-" + generation)
                .withObservedGeneration(generation).build());
        write(() -> kubectl.resource(set).updateStatus());
    }

    private void ready(Deployment deployment) {
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        long generation = deployment.getMetadata().getGeneration() == null ? 1 : deployment.getMetadata().getGeneration();
        var status = deployment.getStatus();
        if (paused || status != null && Objects.equals(status.getReadyReplicas(), replicas)
                && Objects.equals(status.getObservedGeneration(), generation)) {
            return;
        }
        deployment.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                .withUpdatedReplicas(replicas).withAvailableReplicas(replicas).withObservedGeneration(generation).build());
        write(() -> kubectl.resource(deployment).updateStatus());
    }

    private static void write(Runnable write) {
        try {
            write.run();
        } catch (KubernetesClientException e) {
            // changed or deleted meanwhile: its next event brings it here again
        }
    }

    @Override
    public void close() {
        statefulSets.close();
        deployments.close();
    }
}

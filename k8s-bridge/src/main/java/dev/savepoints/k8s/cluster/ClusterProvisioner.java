package dev.savepoints.k8s.cluster;

import dev.savepoints.command.api.ClusterComponents;
import dev.savepoints.command.api.JobId;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.out.ClusterStatusPatcher;
import dev.savepoints.k8s.out.StatusRendering;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Flink cluster a FlinkCluster declares and keeps it as declared: each object missing is created, each
 * that differs from the declaration (changed in the FlinkCluster, or by hand) is written back. Objects are read from
 * informers that watch only what this service created; an object of the same name that belongs to something else
 * is left alone and reported. Objects the declaration no longer has (an Ingress, the TaskManagers' object of
 * another deployment type) are deleted; deleting the FlinkCluster deletes all of them (owner references); an
 * object whose change Kubernetes refuses in place (an immutable field) is reported, for the user to delete it and
 * have it created anew.
 */
public class ClusterProvisioner implements AutoCloseable {

    static final String CLUSTER_NOT_CREATED = "ClusterNotCreated";
    static final String CLUSTER_OBJECTS_CREATED = "ClusterObjectsCreated";
    static final String CLUSTER_OBJECT_RESTORED = "ClusterObjectRestored";
    static final String CLUSTER_OBJECT_DELETED = "ClusterObjectDeleted";
    /** The kinds of which an object may stop being declared (the others always are). */
    private static final List<Class<? extends HasMetadata>> DELETABLE = List.of(StatefulSet.class, Deployment.class,
            Ingress.class);
    private static final Logger log = LoggerFactory.getLogger(ClusterProvisioner.class);
    private static final List<Class<? extends HasMetadata>> KINDS = List.of(ConfigMap.class, StatefulSet.class,
            Service.class, Ingress.class, Deployment.class);

    private final KubernetesClient client;
    private final ClusterStatusPatcher cluster;
    private final MeterRegistry metrics;
    private final List<String> namespaces;
    private final Duration resync;
    private final Map<Class<?>, List<SharedIndexInformer<? extends HasMetadata>>> informers = new ConcurrentHashMap<>();
    /** The problem last reported for each FlinkCluster uid, so that a resync does not repeat it. */
    private final Map<String, String> reported = new ConcurrentHashMap<>();
    /** The components last shown for each FlinkCluster uid. */
    private final Map<String, ClusterComponents> shown = new ConcurrentHashMap<>();

    public ClusterProvisioner(KubernetesClient client, ClusterStatusPatcher cluster, MeterRegistry metrics,
                              List<String> namespaces, Duration resync) {
        this.client = client;
        this.cluster = cluster;
        this.metrics = metrics;
        this.namespaces = namespaces;
        this.resync = resync;
    }

    /** Watches the objects this service created; a change or deletion of one calls {@code ownerChanged} with its owner's key. */
    public synchronized void start(Consumer<String> ownerChanged) {
        if (!informers.isEmpty()) {
            return;
        }
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata object) {
                owner(object).ifPresent(ownerChanged);
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                if (!Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                    owner(after).ifPresent(ownerChanged);
                }
            }

            @Override
            public void onDelete(HasMetadata object, boolean finalStateUnknown) {
                owner(object).ifPresent(ownerChanged);
            }
        };
        for (Class<? extends HasMetadata> kind : KINDS) {
            List<SharedIndexInformer<? extends HasMetadata>> ofKind = new ArrayList<>();
            if (namespaces.isEmpty()) {
                ofKind.add(inform(client.resources(kind).inAnyNamespace()
                        .withLabel(ClusterNames.MANAGED_BY, ClusterNames.MANAGER), handler));
            } else {
                for (String namespace : namespaces) {
                    ofKind.add(inform(client.resources(kind).inNamespace(namespace)
                            .withLabel(ClusterNames.MANAGED_BY, ClusterNames.MANAGER), handler));
                }
            }
            informers.put(kind, ofKind);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private SharedIndexInformer<? extends HasMetadata> inform(
            io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable objects, ResourceEventHandler<HasMetadata> handler) {
        return (SharedIndexInformer<? extends HasMetadata>) objects.inform((ResourceEventHandler) handler, resync.toMillis());
    }

    private static java.util.Optional<String> owner(HasMetadata object) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        return owners == null ? java.util.Optional.empty() : owners.stream()
                .filter(owner -> "FlinkCluster".equals(owner.getKind()) && Boolean.TRUE.equals(owner.getController()))
                .findFirst().map(owner -> object.getMetadata().getNamespace() + "/" + owner.getName());
    }

    public synchronized void stop() {
        informers.values().forEach(ofKind -> ofKind.forEach(SharedIndexInformer::close));
        informers.clear();
        reported.clear();
        shown.clear();
    }

    @Override
    public void close() {
        stop();
    }

    /** The cluster's objects as declared, or the reason they cannot be made (a value that cannot be read or used). */
    public static List<HasMetadata> declared(FlinkCluster resource) {
        ClusterSpec spec = ClusterSpec.read(ClusterSpec.SERIALIZATION.convertValue(resource.getSpec(),
                com.fasterxml.jackson.databind.JsonNode.class));
        return ClusterObjects.desired(resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                resource.getMetadata().getUid(), spec);
    }

    /**
     * Brings the cluster's objects to what {@code declared} says; false when the API server did not take a write
     * (tried again later by the caller). An object that belongs to something else is reported, not retried. While
     * {@code jobOnFlink}, a new declaration of the objects that make the pods (the ConfigMap, the JobManager and its
     * Service, the TaskManagers) waits: the job's upgrade stops it first, and its next submission waits for them
     * ({@link JobSubmitters#notReady}). The TaskManagers' replicas change at once all the same.
     */
    public boolean reconcile(FlinkCluster resource, List<HasMetadata> declared, boolean jobOnFlink) {
        JobId job = JobId.of(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        String uid = resource.getMetadata().getUid();
        Optional<String> foreign = notOurs(declared, uid);
        if (foreign.isPresent()) {
            report(job, uid, foreign.get() + ": nothing of its cluster is created, and its job runs on the JobManager "
                    + "there, as if the FlinkCluster named it (annotation savepoints.dev/jobmanager-url)");
            return true;
        }
        List<String> problems = new ArrayList<>();
        List<String> created = new ArrayList<>();
        boolean written = true;
        for (HasMetadata object : declared) {
            try {
                String problem = reconcile(job, uid, object, created, jobOnFlink);
                if (problem != null) {
                    problems.add(problem);
                }
            } catch (KubernetesClientException e) {
                log.warn("FlinkCluster {}: {} {} not written yet: {}", job, object.getKind(),
                        object.getMetadata().getName(), e.getMessage());
                written = false;
            }
        }
        if (!created.isEmpty()) {
            cluster.event(job, uid, false, CLUSTER_OBJECTS_CREATED, "created " + String.join(", ", created));
        }
        written &= deleteUndeclared(job, uid, declared, jobOnFlink);
        report(job, uid, problems.isEmpty() ? null : String.join("; ", problems));
        return written;
    }

    /**
     * Deletes the objects this service made for the FlinkCluster that its declaration no longer has: an Ingress no
     * longer declared, the TaskManagers' StatefulSet after a switch to a Deployment (or the other way round). One
     * that makes pods waits, like a new declaration, while the job runs. False if a deletion did not get through.
     */
    private boolean deleteUndeclared(JobId job, String uid, List<HasMetadata> declared, boolean jobOnFlink) {
        Set<String> kept = new HashSet<>();
        declared.forEach(object -> kept.add(object.getKind() + "/" + object.getMetadata().getName()));
        boolean deleted = true;
        for (Class<? extends HasMetadata> kind : DELETABLE) {
            for (SharedIndexInformer<? extends HasMetadata> informer : informers.getOrDefault(kind, List.of())) {
                for (HasMetadata object : informer.getStore().list()) {
                    if (!job.namespace().equals(object.getMetadata().getNamespace()) || !controlledBy(object, uid)
                            || kept.contains(object.getKind() + "/" + object.getMetadata().getName())
                            || (jobOnFlink && !(object instanceof Ingress))) {
                        continue;
                    }
                    try {
                        client.resource(object).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                        count("delete", object);
                        cluster.event(job, uid, false, CLUSTER_OBJECT_DELETED, object.getKind() + " "
                                + object.getMetadata().getName() + " deleted: the FlinkCluster no longer declares it");
                    } catch (KubernetesClientException e) {
                        log.warn("FlinkCluster {}: {} {} not deleted yet: {}", job, object.getKind(),
                                object.getMetadata().getName(), e.getMessage());
                        deleted = false;
                    }
                }
            }
        }
        return deleted;
    }

    /**
     * The first object of the cluster that exists and does not belong to the FlinkCluster {@code uid} (one a user
     * made, or an earlier operator for another resource), as "ConfigMap x exists and does not belong to this
     * FlinkCluster"; empty when there is none. Such a cluster is not the service's to create or change.
     */
    public Optional<String> notOurs(List<HasMetadata> declared, String uid) {
        for (HasMetadata object : declared) {
            HasMetadata actual = cached(object);
            if (actual == null) {
                actual = client.resource(object).get();
            }
            if (actual != null && !controlledBy(actual, uid)) {
                return Optional.of(object.getKind() + " " + object.getMetadata().getName()
                        + " exists and does not belong to this FlinkCluster");
            }
        }
        return Optional.empty();
    }

    /** Null when the object is as declared (now), else why it is not and will not be without the user. */
    private String reconcile(JobId job, String uid, HasMetadata declared, List<String> created, boolean jobOnFlink) {
        String declaredHash = Drift.hash(declared);
        Map<String, String> annotations = new LinkedHashMap<>(Objects.requireNonNullElse(
                declared.getMetadata().getAnnotations(), Map.of()));
        annotations.put(Drift.DECLARED_HASH, declaredHash);
        declared.getMetadata().setAnnotations(annotations);
        HasMetadata actual = cached(declared);
        if (actual == null) {
            actual = client.resource(declared).get(); // not created by this service, or not in the cache yet
        }
        if (actual == null) {
            try {
                client.resource(declared).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 400 || e.getCode() == 422) { // the API server will not take it as declared
                    return declared.getKind() + " " + declared.getMetadata().getName() + " cannot be created ("
                            + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()) + ")";
                }
                throw e;
            }
            count("create", declared);
            created.add(declared.getKind() + " " + declared.getMetadata().getName());
            return null;
        }
        if (!controlledBy(actual, uid)) {
            return declared.getKind() + " " + declared.getMetadata().getName()
                    + " exists and does not belong to this FlinkCluster";
        }
        String difference = Drift.difference(declared, declaredHash, actual);
        if (difference == null) {
            return null;
        }
        if (jobOnFlink && Drift.DECLARATION_CHANGED.equals(difference) && makesPods(declared)) {
            holdReplicasApart(job, declared, actual);
            return null;
        }
        try {
            client.resource(merged(declared, actual)).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 422) {
                return declared.getKind() + " " + declared.getMetadata().getName() + " cannot be changed in place ("
                        + e.getStatus().getMessage() + "): delete it and it is created anew";
            }
            throw e;
        }
        count("update", declared);
        if (!Drift.DECLARATION_CHANGED.equals(difference)) {
            cluster.event(job, uid, true, CLUSTER_OBJECT_RESTORED, declared.getKind() + " " + declared.getMetadata().getName()
                    + " was changed outside its FlinkCluster (" + difference + "): put back as declared");
        }
        log.info("FlinkCluster {}: {} {} updated ({})", job, declared.getKind(), declared.getMetadata().getName(), difference);
        return null;
    }

    private static boolean makesPods(HasMetadata declared) {
        return !(declared instanceof Ingress) && !(declared instanceof Service && declared.getMetadata().getName().endsWith("-taskmanager"));
    }

    /** A held TaskManagers' object still takes its new replicas. */
    private void holdReplicasApart(JobId job, HasMetadata declared, HasMetadata actual) {
        Integer replicas = declared instanceof StatefulSet set ? set.getSpec().getReplicas()
                : declared instanceof Deployment deployment ? deployment.getSpec().getReplicas() : null;
        Integer current = actual instanceof StatefulSet set ? set.getSpec().getReplicas()
                : actual instanceof Deployment deployment ? deployment.getSpec().getReplicas() : null;
        if (replicas != null && !replicas.equals(current) && declared.getMetadata().getName().endsWith("-taskmanager")) {
            HasMetadata scaled = ClusterSpec.SERIALIZATION.clone(actual);
            if (scaled instanceof StatefulSet set) {
                set.getSpec().setReplicas(replicas);
            } else {
                ((Deployment) scaled).getSpec().setReplicas(replicas);
            }
            client.resource(scaled).update();
            count("update", declared);
        }
        log.info("FlinkCluster {}: the new declaration of {} {} waits until the job is stopped", job, declared.getKind(),
                declared.getMetadata().getName());
    }

    /**
     * The declared object as a replacement of the actual one: its resource version (a write over a newer one is
     * refused), labels and annotations others added, and what the API server assigned to a Service.
     */
    private static HasMetadata merged(HasMetadata declared, HasMetadata actual) {
        HasMetadata merged = ClusterSpec.SERIALIZATION.clone(declared);
        merged.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
        Map<String, String> labels = new LinkedHashMap<>(Objects.requireNonNullElse(actual.getMetadata().getLabels(), Map.of()));
        labels.putAll(merged.getMetadata().getLabels());
        merged.getMetadata().setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(Objects.requireNonNullElse(actual.getMetadata().getAnnotations(), Map.of()));
        annotations.putAll(merged.getMetadata().getAnnotations());
        merged.getMetadata().setAnnotations(annotations);
        if (merged instanceof Service service && actual instanceof Service assigned) {
            if (service.getSpec().getClusterIP() == null) {
                service.getSpec().setClusterIP(assigned.getSpec().getClusterIP());
                service.getSpec().setClusterIPs(assigned.getSpec().getClusterIPs());
            }
            boolean nodePorts = "NodePort".equals(service.getSpec().getType()) || "LoadBalancer".equals(service.getSpec().getType());
            for (var port : nodePorts ? service.getSpec().getPorts() : List.<io.fabric8.kubernetes.api.model.ServicePort>of()) {
                assigned.getSpec().getPorts().stream().filter(old -> Objects.equals(old.getName(), port.getName()))
                        .findFirst().ifPresent(old -> port.setNodePort(old.getNodePort()));
            }
        }
        return merged;
    }

    static boolean controlledBy(HasMetadata object, String uid) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(owner -> uid.equals(owner.getUid())
                && Boolean.TRUE.equals(owner.getController()));
    }

    /** The informers' copy of the object, or null. */
    private HasMetadata cached(HasMetadata declared) {
        String key = Cache.namespaceKeyFunc(declared.getMetadata().getNamespace(), declared.getMetadata().getName());
        for (SharedIndexInformer<? extends HasMetadata> informer : informers.getOrDefault(declared.getClass(), List.of())) {
            HasMetadata cached = informer.getStore().getByKey(key);
            if (cached != null) {
                return cached;
            }
        }
        return null;
    }

    /** Says a problem once (a Warning Event), and that it cleared. */
    private void report(JobId job, String uid, String problem) {
        String last = problem == null ? reported.remove(uid) : reported.put(uid, problem);
        if (Objects.equals(last, problem)) {
            return;
        }
        if (problem != null) {
            log.warn("FlinkCluster {}: {}", job, problem);
            cluster.event(job, uid, true, CLUSTER_NOT_CREATED, problem);
        }
    }

    /** The cluster's objects ({@code declared}) as the informers see them now. */
    public ClusterComponents observe(List<HasMetadata> declared) {
        return ClusterObservation.of(declared, this::cached);
    }

    /**
     * Whether {@code components} differ from what was last shown for the FlinkCluster {@code uid}, remembering them
     * as shown; {@link #forget}, {@link #stop} and a write that fails ({@link #notShown}) make the next one new.
     */
    public boolean changed(String uid, ClusterComponents components) {
        return !components.equals(shown.put(uid, components));
    }

    public void notShown(String uid) {
        shown.remove(uid);
    }

    /**
     * Shows the components of a session cluster (no job, so no status model behind it) in its status: the objects,
     * and {@code status.state} {@code Creating} until each is ready, then {@code Running}, or {@code Reconciling}
     * when one is not ready any more.
     */
    public void showSessionCluster(FlinkCluster resource, ClusterComponents components) {
        JobId job = JobId.of(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        String uid = resource.getMetadata().getUid();
        try {
            cluster.changeStatus(job, uid, status -> {
                String before = status.getState();
                boolean ranBefore = "Running".equals(before) || "Reconciling".equals(before);
                status.setState(components.ready() ? "Running" : ranBefore ? "Reconciling" : "Creating");
                if (status.getComponents() == null) {
                    status.setComponents(new FlinkClusterStatus.Components());
                }
                StatusRendering.components(status.getComponents(), components, null,
                        components.jobManager() == null ? null : components.jobManager().state());
                var control = status.getControl();
                if (control != null && "update".equals(control.getName()) && "Failed".equals(control.getState())) {
                    control.setState("Succeeded"); // the declaration refused before is taken now
                    control.setMessage(null);
                    control.setUpdateTime(java.time.Instant.now().toString());
                }
                return status;
            });
        } catch (KubernetesClientException e) {
            log.warn("FlinkCluster {}: status not written ({}); trying again at the next change", job, e.getMessage());
            notShown(uid);
        }
    }

    /** A FlinkCluster that is gone: nothing of it is remembered. */
    public void forget(String uid) {
        reported.remove(uid);
        shown.remove(uid);
    }

    private void count(String verb, HasMetadata object) {
        metrics.counter("flink_cluster_object_writes", "verb", verb, "kind", object.getKind()).increment();
    }
}

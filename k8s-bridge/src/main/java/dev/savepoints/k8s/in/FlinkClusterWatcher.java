package dev.savepoints.k8s.in;

import dev.savepoints.command.api.Backoff;
import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.DeregisterJob;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Texts;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.k8s.cluster.ClusterProvisioner;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.out.ClusterStatusPatcher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns FlinkCluster changes into commands. Every add, update and resync sends what the resource asks for as it
 * stands; the FlinkJob aggregate decides what is new, so a resync or a stale cache never repeats a decision
 * (a generation already decided, the control request already decided, unchanged settings).
 * <p>A command that does not get through (the database is away) is not left to the next resync: the resource is
 * reconciled again after a backoff that doubles up to a cap, by its key, from the informer's cache as it stands
 * then, so the retry sends the latest version. A deletion that did not get through is sent again the same way. A
 * retry is dropped when its resource is deleted (the deletion deregisters it), when a later reconcile of it went
 * through, and when this replica stops watching (it lost the Lease: the holder's informers send everything anew).
 */
public class FlinkClusterWatcher implements ResourceEventHandler<FlinkCluster>, AutoCloseable {

    /** Waits before a resource whose command did not get through is reconciled again: far below the resync. */
    public static final Backoff RETRIES = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    private static final Logger log = LoggerFactory.getLogger(FlinkClusterWatcher.class);

    private final KubernetesClient client;
    private final CommandGateway commands;
    private final List<String> namespaces;
    private final Duration resync;
    /** Read by the retries' thread too. */
    private final List<SharedIndexInformer<FlinkCluster>> informers = new CopyOnWriteArrayList<>();
    private final Map<String, String> firstSeen = new ConcurrentHashMap<>();
    private final AnnotationSettings annotationSettings = new AnnotationSettings();
    private final SpecRefusals refusals;
    private final Backoff retryBackoff;
    private final ScheduledExecutorService retryExecutor;
    /** Creates and keeps the Flink cluster of each FlinkCluster that declares one; null when off. */
    private final CreatedClusters created;
    /** The pending retry of each resource key ({@code namespace/name}). */
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    /**
     * A resource is handled by one thread at a time: its informer's, or the retries'. A retry that read the resource
     * just before its deletion must not register it again after the deletion deregistered it.
     */
    private final Object[] keyLocks = new Object[64];
    private volatile boolean watching;

    /**
     * @param retryBackoff  waits before a resource whose command did not get through is reconciled again
     * @param retryExecutor where those retries run (one thread is enough: each is a few commands); closed with this
     * @param provisioner   creates the Flink clusters; null when the service only works with clusters that exist
     */
    public FlinkClusterWatcher(KubernetesClient client, CommandGateway commands, ClusterStatusPatcher patcher,
                               List<String> namespaces, Duration resync, Backoff retryBackoff,
                               ScheduledExecutorService retryExecutor, ClusterProvisioner provisioner) {
        this.client = client;
        this.commands = commands;
        this.namespaces = namespaces;
        this.resync = resync;
        this.refusals = new SpecRefusals(patcher);
        this.retryBackoff = retryBackoff;
        this.retryExecutor = retryExecutor;
        this.created = provisioner == null ? null : new CreatedClusters(provisioner, refusals, this::send);
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new Object();
        }
    }

    private Object lockOf(String key) {
        return keyLocks[Math.floorMod(key.hashCode(), keyLocks.length)];
    }

    /**
     * A scheduled retry of one resource: a reconcile from the cache, or for a deleted resource ({@code deleted} set)
     * its deregistration. Its identity tells it from a later retry of the same key.
     */
    private static final class Retry {

        private final int attempt;
        private final FlinkCluster deleted;
        private volatile ScheduledFuture<?> future;

        Retry(int attempt, FlinkCluster deleted) {
            this.attempt = attempt;
            this.deleted = deleted;
        }

        void cancel() {
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    public synchronized void start() {
        if (!informers.isEmpty()) {
            return;
        }
        watching = true;
        if (created != null) {
            created.start(this::clusterObjectChanged);
        }
        if (namespaces.isEmpty()) {
            informers.add(client.resources(FlinkCluster.class).inAnyNamespace().inform(this, resync.toMillis()));
        } else {
            for (String namespace : namespaces) {
                informers.add(client.resources(FlinkCluster.class).inNamespace(namespace).inform(this, resync.toMillis()));
            }
        }
        log.info("Watching FlinkClusters in {}", namespaces.isEmpty() ? "all namespaces" : namespaces);
    }

    @Override
    public void onAdd(FlinkCluster cluster) {
        reconcile(cluster);
    }

    @Override
    public void onUpdate(FlinkCluster previous, FlinkCluster cluster) {
        Integer before = generation(previous);
        Integer after = generation(cluster);
        long reached = statusGeneration(cluster);
        if (before != null && after != null && after < before && after <= reached
                && Objects.equals(previous.getMetadata().getUid(), cluster.getMetadata().getUid())) {
            // a generation already reached decides nothing (as a resync must not): the user is told so. Lowering
            // a refused jump to status + 1 is the correction, and is not warned about.
            refusals.generationLowered(cluster, before, after, reached);
        }
        reconcile(cluster);
    }

    private static long statusGeneration(FlinkCluster cluster) {
        var status = cluster.getStatus();
        Long generation = status == null || status.getComponents() == null || status.getComponents().getJob() == null
                ? null : status.getComponents().getJob().getSavepointGeneration();
        return generation == null ? 0 : generation;
    }

    private static Integer generation(FlinkCluster cluster) {
        return cluster == null || cluster.getSpec() == null || cluster.getSpec().getJob() == null ? null
                : cluster.getSpec().getJob().getSavepointGeneration();
    }

    @Override
    public void onDelete(FlinkCluster cluster, boolean finalStateUnknown) {
        firstSeen.remove(cluster.getMetadata().getUid());
        annotationSettings.forget(cluster.getMetadata().getUid());
        refusals.forget(cluster.getMetadata().getUid());
        if (created != null) {
            created.forget(cluster.getMetadata().getUid());
        }
        String key = Cache.metaNamespaceKeyFunc(cluster);
        synchronized (lockOf(key)) {
            Retry dropped = retries.remove(key); // a change of a resource that is gone is not sent again
            if (dropped != null) {
                dropped.cancel();
            }
            if (!deregister(cluster)) {
                retryLater(key, cluster);
            }
        }
    }

    private boolean deregister(FlinkCluster cluster) {
        JobId job = SpecTranslator.jobId(cluster);
        return send(job, new DeregisterJob(job, cluster.getMetadata().getUid(), SpecTranslator.specActor(cluster),
                SpecTranslator.disposeOnDeletion(cluster)));
    }

    /**
     * Sends the commands that the resource, as it stands, asks for; if one does not get through, the resource is
     * reconciled again after a backoff.
     */
    public void reconcile(FlinkCluster cluster) {
        String key = Cache.metaNamespaceKeyFunc(cluster);
        synchronized (lockOf(key)) {
            if (translate(cluster)) {
                Retry done = retries.remove(key);
                if (done != null) {
                    done.cancel();
                }
            } else {
                retryLater(key, null);
            }
        }
    }

    /**
     * An object of a FlinkCluster's Flink cluster changed or was deleted (by hand, or by Kubernetes): the cluster is
     * brought back to its declaration, from the cache as the FlinkCluster stands; the job's commands are not sent.
     */
    private void clusterObjectChanged(String key) {
        synchronized (lockOf(key)) {
            FlinkCluster latest = cached(key);
            if (latest == null || !CreatedClusters.creates(created, latest)) {
                return;
            }
            Optional<List<HasMetadata>> declared = created.declaredOrRefused(latest);
            if (declared.isPresent() && !(created.reconcile(latest, declared.get())
                    && (created.notOurs(latest, declared.get()) || created.show(latest, declared.get(), false)))) {
                retryLater(key, null);
            }
        }
    }

    /** Sends the resource's commands; false if one of them did not get through. */
    private boolean translate(FlinkCluster cluster) {
        boolean provisioned = true;
        List<HasMetadata> declared = null;
        if (CreatedClusters.creates(created, cluster)) {
            // the cluster first: a job is submitted to its JobManager
            Optional<List<HasMetadata>> made = created.declaredOrRefused(cluster);
            if (made.isEmpty()) {
                return true;
            }
            declared = made.get();
            provisioned = created.reconcile(cluster, declared);
            if (created.notOurs(cluster, declared)) {
                declared = null; // not its cluster to create: it runs on what is there
            }
        }
        if (!SpecTranslator.hasJob(cluster)) {
            return (declared == null || created.show(cluster, declared, false)) && provisioned; // a session cluster: no job
        }
        Optional<String> unreadable = SpecTranslator.unreadable(cluster);
        if (unreadable.isPresent()) {
            // as a real API server with the CRD's schema would: the resource is not taken at all
            refusals.unreadable(cluster, unreadable.get());
            return true;
        }
        refusals.readable(cluster);
        JobId job = SpecTranslator.jobId(cluster);
        RequestedBy specActor = SpecTranslator.specActor(cluster);
        if (!send(job, new RegisterJob(job, cluster.getMetadata().getUid(),
                SpecTranslator.settings(cluster, CreatedClusters.revision(declared)), specActor))) {
            return false;
        }
        boolean sent = provisioned && (declared == null || created.show(cluster, declared, true));
        Integer generation = cluster.getSpec().getJob().getSavepointGeneration();
        if (generation != null && generation > 0) {
            sent &= send(job, new TriggerSavepoint(job, TriggerReason.GENERATION_BUMP, generation.longValue(), specActor));
        }
        String uid = cluster.getMetadata().getUid();
        Optional<String> control = SpecTranslator.control(cluster);
        if (control.isEmpty()) {
            firstSeen.remove(uid);
            annotationSettings.absent(uid);
        }
        if (control.isPresent()) {
            RequestedBy annotationActor = SpecTranslator.annotationActor(cluster);
            sent &= send(job, new RequestControl(job, controlName(control.get()),
                    requestKey(cluster, control.get(), annotationActor), annotationActor));
        }
        if (Boolean.TRUE.equals(cluster.getSpec().getJob().getCancelRequested())) {
            sent &= send(job, new RequestControl(job, ControlName.JOB_CANCEL.value(), "cancelRequested:" + cluster.getMetadata().getUid(),
                    specActor));
        }
        return sent;
    }

    /**
     * Schedules the next retry of a resource, a wait longer than the last one's (doubling up to the cap). A
     * reconcile that fails while a retry is pending makes that wait longer rather than adding a second retry.
     */
    private void retryLater(String key, FlinkCluster deleted) {
        if (!watching) {
            return;
        }
        Retry next = retries.compute(key, (k, pending) -> {
            if (pending != null) {
                pending.cancel();
            }
            return new Retry(pending == null ? 1 : pending.attempt + 1, deleted);
        });
        Duration delay = retryBackoff.delay(next.attempt);
        log.warn("FlinkCluster {}: {} again in {} (retry {})", key, deleted == null ? "reconciled" : "deregistered",
                delay, next.attempt);
        try {
            next.future = retryExecutor.schedule(() -> retry(key, next), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            retries.remove(key, next); // closing
        }
    }

    private void retry(String key, Retry retry) {
        synchronized (lockOf(key)) {
            retryLocked(key, retry);
        }
    }

    private void retryLocked(String key, Retry retry) {
        if (!watching || retries.get(key) != retry) {
            return; // superseded, dropped, or the Lease was lost
        }
        FlinkCluster latest = cached(key);
        boolean done;
        if (retry.deleted != null) {
            // a resource of the same name created since is registered on its own, which ends the deleted one's job
            done = (latest != null && !Objects.equals(latest.getMetadata().getUid(), retry.deleted.getMetadata().getUid()))
                    || deregister(retry.deleted);
        } else if (latest == null) {
            done = true; // deleted meanwhile: its deletion deregisters it
        } else {
            done = translate(latest);
        }
        if (done) {
            retries.remove(key, retry);
        } else if (retries.get(key) == retry) {
            retryLater(key, retry.deleted);
        }
    }

    /** The informers' latest version of a resource, or null if none has it. */
    private FlinkCluster cached(String key) {
        for (SharedIndexInformer<FlinkCluster> informer : informers) {
            FlinkCluster cluster = informer.getStore().getByKey(key);
            if (cluster != null) {
                return cluster;
            }
        }
        return null;
    }

    /**
     * Identifies one setting of the annotation, so that events that still show it after its control ended (a
     * resync, a stale cache) are not taken as a new request: the time its field manager set it (told apart from a
     * setting of the same second by {@link AnnotationSettings}), or where the API server keeps no managed fields, the
     * resource version at which this watcher first saw it.
     */
    private String requestKey(FlinkCluster cluster, String value, RequestedBy annotationActor) {
        String key = keyOf(value);
        if (annotationActor.requestedAt() != null) {
            return annotationSettings.keyOf(cluster.getMetadata().getUid(),
                    annotationActor.actor() + "@" + annotationActor.requestedAt() + ":" + key,
                    cluster.getMetadata().getResourceVersion());
        }
        return firstSeen.compute(cluster.getMetadata().getUid(), (uid, seen) ->
                seen != null && seen.endsWith(":" + key) ? seen
                        : "seen@" + cluster.getMetadata().getResourceVersion() + ":" + key);
    }

    /**
     * The control as asked: the value, or for one too long to be any control (an annotation may hold up to 256 kB)
     * its start and its length, which is what the refusal, the audit log and the status then show.
     */
    static String controlName(String value) {
        return Texts.abbreviate(value, 56, 24);
    }

    /** The value itself, or for a long one (any length fits in an annotation) its start and a hash: keys are stored. */
    static String keyOf(String value) {
        if (value.length() <= 64) {
            return value;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return value.substring(0, 32) + "…sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean send(JobId job, Object command) {
        try {
            commands.sendAndWait(command);
            return true;
        } catch (RuntimeException e) {
            // Sent again after a backoff; the aggregate takes what it already decided once.
            log.warn("FlinkCluster {}: {} not taken yet: {}", job, command.getClass().getSimpleName(), e.getMessage());
            return false;
        }
    }

    /** Stops watching (this replica lost the Lease, or stops), dropping the pending retries; {@link #start()} resumes. */
    public synchronized void stop() {
        watching = false;
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
        if (created != null) {
            created.stop();
        }
        retries.values().forEach(Retry::cancel);
        retries.clear();
        firstSeen.clear();
        annotationSettings.clear();
    }

    @Override
    public void close() {
        stop();
        retryExecutor.shutdownNow();
    }
}

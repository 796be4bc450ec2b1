package dev.savepoints.k8s.in;

import dev.savepoints.command.api.DeregisterJob;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.out.ClusterStatusPatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns FlinkCluster changes into commands. Every add, update and resync sends what the resource asks for as it
 * stands; the FlinkJob aggregate decides what is new, so a resync or a stale cache never repeats a decision
 * (a generation already decided, the control request already decided, unchanged settings).
 */
public class FlinkClusterWatcher implements ResourceEventHandler<FlinkCluster>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FlinkClusterWatcher.class);

    private final KubernetesClient client;
    private final CommandGateway commands;
    private final List<String> namespaces;
    private final Duration resync;
    private final List<SharedIndexInformer<FlinkCluster>> informers = new ArrayList<>();
    private final Map<String, String> firstSeen = new ConcurrentHashMap<>();
    private final SpecRefusals refusals;

    public FlinkClusterWatcher(KubernetesClient client, CommandGateway commands, ClusterStatusPatcher patcher,
                               List<String> namespaces, Duration resync) {
        this.client = client;
        this.commands = commands;
        this.namespaces = namespaces;
        this.resync = resync;
        this.refusals = new SpecRefusals(patcher);
    }

    public synchronized void start() {
        if (!informers.isEmpty()) {
            return;
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
        refusals.forget(cluster.getMetadata().getUid());
        JobId job = SpecTranslator.jobId(cluster);
        send(job, new DeregisterJob(job, cluster.getMetadata().getUid(), SpecTranslator.specActor(cluster)));
    }

    /** Sends the commands that the resource, as it stands, asks for. */
    public void reconcile(FlinkCluster cluster) {
        if (!SpecTranslator.hasJob(cluster)) {
            return; // a session cluster without job: nothing to manage
        }
        Optional<String> unreadable = SpecTranslator.unreadable(cluster);
        if (unreadable.isPresent()) {
            // as a real API server with the CRD's schema would: the resource is not taken at all
            refusals.unreadable(cluster, unreadable.get());
            return;
        }
        refusals.readable(cluster);
        JobId job = SpecTranslator.jobId(cluster);
        RequestedBy specActor = SpecTranslator.specActor(cluster);
        if (!send(job, new RegisterJob(job, cluster.getMetadata().getUid(), SpecTranslator.settings(cluster), specActor))) {
            return;
        }
        Integer generation = cluster.getSpec().getJob().getSavepointGeneration();
        if (generation != null && generation > 0) {
            send(job, new TriggerSavepoint(job, TriggerReason.GENERATION_BUMP, generation.longValue(), specActor));
        }
        String uid = cluster.getMetadata().getUid();
        Optional<String> control = SpecTranslator.control(cluster);
        if (control.isEmpty()) {
            firstSeen.remove(uid);
        }
        control.ifPresent(value -> {
            RequestedBy annotationActor = SpecTranslator.annotationActor(cluster);
            send(job, new RequestControl(job, controlName(value), requestKey(cluster, value, annotationActor),
                    annotationActor));
        });
        if (Boolean.TRUE.equals(cluster.getSpec().getJob().getCancelRequested())) {
            send(job, new RequestControl(job, "job-cancel", "cancelRequested:" + cluster.getMetadata().getUid(), specActor));
        }
    }

    /**
     * Identifies one setting of the annotation, so that events that still show it after its control ended (a
     * resync, a stale cache) are not taken as a new request: the time its field manager set it, or where the API
     * server keeps no managed fields, the resource version at which this watcher first saw it.
     */
    private String requestKey(FlinkCluster cluster, String value, RequestedBy annotationActor) {
        String key = keyOf(value);
        if (annotationActor.requestedAt() != null) {
            return annotationActor.actor() + "@" + annotationActor.requestedAt() + ":" + key;
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
        return value.length() <= 56 ? value : value.substring(0, 24) + "…(" + value.length() + " characters)";
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
            // The next resync sends it again; the aggregate takes what it already decided once.
            log.warn("FlinkCluster {}: {} not taken yet: {}", job, command.getClass().getSimpleName(), e.getMessage());
            return false;
        }
    }

    /** Stops watching (this replica lost the Lease, or stops); {@link #start()} resumes. */
    public synchronized void stop() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
        firstSeen.clear();
    }

    @Override
    public void close() {
        stop();
    }
}

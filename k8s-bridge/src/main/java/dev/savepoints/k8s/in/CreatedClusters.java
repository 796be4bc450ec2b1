package dev.savepoints.k8s.in;

import dev.savepoints.command.api.ClusterComponents;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.ReportClusterComponents;
import dev.savepoints.k8s.cluster.ClusterObjects;
import dev.savepoints.k8s.cluster.ClusterProvisioner;
import dev.savepoints.k8s.model.FlinkCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The watcher's side of the Flink clusters the service creates: which FlinkClusters get one, their declared objects
 * (or the refusal of a declaration that cannot make one), the reconcile of those objects, and what the bridge sees
 * of them, reported to the job's aggregate or, for a session cluster, shown in its status.
 */
final class CreatedClusters {

    private final ClusterProvisioner provisioner;
    private final SpecRefusals refusals;
    /** Sends a command of a job; false when it did not get through. */
    private final BiPredicate<JobId, Object> send;

    CreatedClusters(ClusterProvisioner provisioner, SpecRefusals refusals, BiPredicate<JobId, Object> send) {
        this.provisioner = provisioner;
        this.refusals = refusals;
        this.send = send;
    }

    void start(Consumer<String> ownerChanged) {
        provisioner.start(ownerChanged);
    }

    void stop() {
        provisioner.stop();
    }

    void forget(String uid) {
        provisioner.forget(uid);
    }

    /** True when the service creates the resource's Flink cluster. */
    static boolean creates(CreatedClusters clusters, FlinkCluster cluster) {
        return clusters != null && SpecTranslator.createsItsCluster(cluster);
    }

    /**
     * The objects of the resource's Flink cluster as declared; empty when the resource cannot be read or its cluster
     * cannot be made as declared, which is then refused as an unreadable spec is (shown again once it can).
     */
    Optional<List<HasMetadata>> declaredOrRefused(FlinkCluster cluster) {
        Optional<String> unreadable = SpecTranslator.unreadable(cluster);
        if (unreadable.isEmpty()) {
            try {
                return Optional.of(ClusterProvisioner.declared(cluster));
            } catch (IllegalArgumentException e) {
                unreadable = Optional.of(e.getMessage());
            }
        }
        refusals.unreadable(cluster, unreadable.get());
        provisioner.notShown(cluster.getMetadata().getUid()); // the next good declaration writes its status again
        return Optional.empty();
    }

    /** Brings the objects to {@code declared}; false when a write did not get through. */
    boolean reconcile(FlinkCluster cluster, List<HasMetadata> declared) {
        return provisioner.reconcile(cluster, declared, SpecTranslator.jobOnFlink(cluster));
    }

    /**
     * Whether an object of the declared cluster exists and belongs to something else: the FlinkCluster then runs on
     * what is there, as one that names its JobManager does (nothing created, no revision, no components).
     */
    boolean notOurs(FlinkCluster cluster, List<HasMetadata> declared) {
        return provisioner.notOurs(declared, cluster.getMetadata().getUid()).isPresent();
    }

    static String revision(List<HasMetadata> declared) {
        return declared == null ? null : ClusterObjects.revision(declared);
    }

    /**
     * Shows the state of the objects when it changed: for a job, as a report to its aggregate (the status follows
     * from the events, as every other fact of the job); for a session cluster, which has no job, in its status
     * directly. False if the report did not get through. {@code reportAnyway}: a job's report is sent even if
     * unchanged (the aggregate records it once), for the one sent before its registration, which was not taken.
     */
    boolean show(FlinkCluster cluster, List<HasMetadata> declared, boolean reportAnyway) {
        ClusterComponents components = provisioner.observe(declared);
        String uid = cluster.getMetadata().getUid();
        if (reportAnyway && SpecTranslator.hasJob(cluster)) {
            provisioner.notShown(uid);
        }
        if (!provisioner.changed(uid, components)) {
            return true;
        }
        if (!SpecTranslator.hasJob(cluster)) {
            provisioner.showSessionCluster(cluster, components);
            return true;
        }
        JobId job = SpecTranslator.jobId(cluster);
        if (!send.test(job, new ReportClusterComponents(job, uid, components))) {
            provisioner.notShown(uid);
            return false;
        }
        return true;
    }
}

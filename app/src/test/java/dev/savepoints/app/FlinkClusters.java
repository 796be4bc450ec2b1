package dev.savepoints.app;

import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterSpec;
import dev.savepoints.k8s.model.JobSpec;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** FlinkCluster manifests as the tests apply them, and the resource as kubectl shows it, for the docs. */
public final class FlinkClusters {

    /** Where the resources and Events that docs/ quote are written (app/target/user-guide). */
    public static final Path CAPTURES = Path.of("target", "user-guide");

    private FlinkClusters() {
    }

    /** A FlinkCluster {@code namespace/name} whose spec holds {@code job} only. */
    public static FlinkCluster manifest(String namespace, String name, JobSpec job) {
        FlinkClusterSpec spec = new FlinkClusterSpec();
        spec.setJob(job);
        FlinkCluster cluster = new FlinkCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        cluster.setSpec(spec);
        return cluster;
    }

    /**
     * The spec of the counting job ({@link FlinkJobs#countingJob}, 10 ms a record, parallelism 1) writing its count to
     * {@code out}, failing while {@code failMarker} exists (null: never), its savepoints to {@code savepointsDir}.
     */
    public static JobSpec countingJob(Path out, Path failMarker, Path savepointsDir) {
        var artifact = FlinkJobs.countingJob(out, failMarker, 10);
        JobSpec job = new JobSpec();
        job.setJarFile(artifact.jarFile());
        job.setClassName(artifact.entryClass());
        job.setArgs(artifact.args());
        job.setParallelism(artifact.parallelism());
        job.setSavepointsDir(savepointsDir.toUri().toString());
        return job;
    }

    /** A job spec that only takes savepoints, to {@code savepointsDir}. */
    public static JobSpec savepointsTo(String savepointsDir) {
        JobSpec job = new JobSpec();
        job.setSavepointsDir(savepointsDir);
        return job;
    }

    /**
     * Writes {@code cluster} as {@code kubectl get flinkcluster -o yaml} shows it to {@code name}.yaml and its Events
     * as {@code kubectl get events} lists them to {@code name}.events.txt, in {@link #CAPTURES}.
     */
    public static void capture(String name, FlinkCluster cluster, List<Event> events) throws Exception {
        Files.createDirectories(CAPTURES);
        FlinkCluster shown = Serialization.clone(cluster);
        shown.getMetadata().setManagedFields(null);
        Files.writeString(CAPTURES.resolve(name + ".yaml"), Serialization.asYaml(shown));
        StringBuilder lines = new StringBuilder(String.format("%-8s %-24s %s%n", "TYPE", "REASON", "MESSAGE"));
        for (Event event : events) {
            lines.append(String.format("%-8s %-24s %s%n", event.getType(), event.getReason(), event.getMessage()));
        }
        Files.writeString(CAPTURES.resolve(name + ".events.txt"), lines);
    }
}

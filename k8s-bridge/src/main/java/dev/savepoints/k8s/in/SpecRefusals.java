package dev.savepoints.k8s.in;

import dev.savepoints.command.api.JobId;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.out.ClusterStatusPatcher;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bridge refuses before any command: a resource it cannot read (a value of the wrong type, out of range,
 * an unknown enum value: what the CRD's schema refuses on a real API server) and a savepointGeneration set lower.
 * Nothing is recorded in the event store, so the bridge says why itself: a Warning Event, and for an unreadable
 * spec also {@code status.control} ({@code update}, {@code Failed}), each once per uid and message (resyncs
 * repeat nothing; another replica that takes the Lease says it once more).
 */
final class SpecRefusals {

    static final String SPEC_REJECTED = "SpecRejected";
    static final String SAVEPOINT_REJECTED = "SavepointRejected";
    private static final Logger log = LoggerFactory.getLogger(SpecRefusals.class);

    private final ClusterStatusPatcher cluster;
    /** The message last reported for each uid. */
    private final Map<String, String> reported = new ConcurrentHashMap<>();

    SpecRefusals(ClusterStatusPatcher cluster) {
        this.cluster = cluster;
    }

    void unreadable(FlinkCluster resource, String message) {
        String uid = String.valueOf(resource.getMetadata().getUid());
        if (message.equals(reported.get(uid))) {
            return;
        }
        JobId job = SpecTranslator.jobId(resource);
        log.warn("FlinkCluster {}: spec not taken: {}", job, message);
        try {
            cluster.changeStatus(job, uid, status -> {
                status.setControl(control(message));
                return status;
            });
        } catch (RuntimeException e) {
            log.warn("FlinkCluster {}: status not written ({}); trying again at the next resync", job, e.getMessage());
            return;
        }
        cluster.event(job, uid, true, SPEC_REJECTED, "spec not taken: " + message);
        reported.put(uid, message);
    }

    /** The resource is readable again: a later unreadable spec is reported even with the same message. */
    void readable(FlinkCluster resource) {
        reported.remove(String.valueOf(resource.getMetadata().getUid()));
    }

    void generationLowered(FlinkCluster resource, int from, int to, long reached) {
        JobId job = SpecTranslator.jobId(resource);
        cluster.event(job, resource.getMetadata().getUid(), true, SAVEPOINT_REJECTED, "savepointGeneration may not go down (from " + from + " to " + to
                + "); nothing is done: set it to status + 1 (" + (reached + 1) + ") for a savepoint");
    }

    void forget(String uid) {
        reported.remove(String.valueOf(uid));
    }

    private static FlinkClusterStatus.Control control(String message) {
        FlinkClusterStatus.Control control = new FlinkClusterStatus.Control();
        control.setName("update");
        control.setState("Failed");
        control.setMessage(message);
        control.setUpdateTime(Instant.now().toString());
        return control;
    }
}

package dev.savepoints.k8s;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Kubernetes bridge ({@code savepoints.k8s.*}).
 *
 * @param enabled    true requires a cluster, false switches the bridge off; unset, it is on when a cluster is found
 *                   (an in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config}, or {@code masterUrl})
 * @param masterUrl  the API server to use instead of the one found (out-of-cluster use, tests)
 * @param namespaces the namespaces whose FlinkClusters are managed; empty means all
 * @param resync     how often every FlinkCluster is sent again, so that nothing missed stays missed
 * @param leaseNamespace where the Lease lives that lets one replica translate at a time; default: the service's
 *                   own namespace in a cluster, else "default"
 * @param leaseDuration how long a replica that stopped renewing keeps the Lease; the others take over after it
 * @param statusProgressDelay how long a status change that only starts something (a savepoint triggered, a control
 *                   accepted) waits to be written: what ends within it is shown in the same write
 * @param statusSettle how long any other status change waits to be written, so that the events of one step, which
 *                   the writer may take in more than one batch, cost one write
 * @param provisioning whether the service creates the Flink cluster of each FlinkCluster that names no JobManager of
 *                   its own ({@code savepoints.dev/jobmanager-url}); true by default. False: every FlinkCluster's
 *                   JobManager must exist already, at that address or at {@code {name}-jobmanager}
 * @param submitterDeadline how long a job submitter (the Kubernetes Job that submits a jar in the Flink image) may
 *                   run before Kubernetes fails it, and the submission with it
 * @param eventTtl   how long the API server keeps Events (its --event-ttl): older job events, caught up on after
 *                   downtime or by a new status writer, record no Kubernetes Event
 */
@ConfigurationProperties("savepoints.k8s")
public record K8sBridgeProperties(Boolean enabled, String masterUrl, List<String> namespaces, Duration resync,
                                  String leaseNamespace, Duration leaseDuration, Duration statusProgressDelay,
                                  Duration statusSettle, Duration eventTtl, Boolean provisioning,
                                  Duration submitterDeadline) {

    public static final String LEASE_NAME = "savepoint-orchestrator-bridge";

    public K8sBridgeProperties {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        resync = resync == null ? Duration.ofMinutes(5) : resync;
        leaseDuration = leaseDuration == null ? Duration.ofSeconds(15) : leaseDuration;
        statusProgressDelay = statusProgressDelay == null ? Duration.ofSeconds(1) : statusProgressDelay;
        statusSettle = statusSettle == null ? Duration.ofMillis(50) : statusSettle;
        eventTtl = eventTtl == null ? Duration.ofHours(1) : eventTtl;
        provisioning = provisioning == null ? Boolean.TRUE : provisioning;
        submitterDeadline = submitterDeadline == null ? Duration.ofMinutes(10) : submitterDeadline;
    }

}

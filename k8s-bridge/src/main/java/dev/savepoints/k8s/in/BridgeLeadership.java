package dev.savepoints.k8s.in;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Only the replica holding the Lease translates FlinkCluster changes into commands; when it stops renewing, another
 * takes over within the lease duration. (Commands are idempotent anyway; the Lease keeps the work and the load
 * in one place.) Status writing is shared through the event processors' token claims instead.
 */
public class BridgeLeadership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BridgeLeadership.class);

    private final KubernetesClient client;
    private final FlinkClusterWatcher watcher;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Duration leaseDuration;
    private CompletableFuture<?> election;

    public BridgeLeadership(KubernetesClient client, FlinkClusterWatcher watcher, String namespace, String leaseName,
                            String identity, Duration leaseDuration) {
        this.client = client;
        this.watcher = watcher;
        this.namespace = namespace;
        this.leaseName = leaseName;
        this.identity = identity;
        this.leaseDuration = leaseDuration;
    }

    public synchronized void start() {
        Duration renewDeadline = leaseDuration.multipliedBy(2).dividedBy(3);
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(renewDeadline.dividedBy(4))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            log.info("This replica ({}) holds Lease {}/{}: translating FlinkCluster changes", identity,
                                    namespace, leaseName);
                            watcher.start();
                        },
                        () -> {
                            log.info("This replica ({}) no longer holds Lease {}/{}", identity, namespace, leaseName);
                            watcher.stop();
                        },
                        leader -> log.info("Lease {}/{} held by {}", namespace, leaseName, leader)))
                .build()).build().start();
    }

    @Override
    public synchronized void close() {
        if (election != null) {
            election.cancel(true);
        }
        watcher.stop();
    }
}

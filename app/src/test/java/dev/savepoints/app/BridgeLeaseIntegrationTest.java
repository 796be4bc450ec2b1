package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.k8s.K8sBridgeProperties;
import dev.savepoints.k8s.model.FlinkCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two replicas on one API server and database: one translates at a time, and the other takes over. */
class BridgeLeaseIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FlinkCluster manifest(String name) {
        return FlinkClusters.manifest("default", name, FlinkClusters.savepointsTo("gs://my-bucket/savepoints/"));
    }

    @Test
    void oneReplicaHoldsTheLeaseAndTheOtherTakesOverWhenItStops() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("lease");
        StoredEvents events = new StoredEvents(database);
        try (MockApiServer api = new MockApiServer()) {
            String[] bridge = {"savepoints.k8s.enabled=true", "savepoints.k8s.master-url=" + api.masterUrl(),
                    "savepoints.k8s.lease-duration=4s", "savepoints.flink.job-manager-url-template=http://127.0.0.1:1"};
            ServiceInstance first = ServiceInstance.start(database, bridge);
            String firstHolder = await().atMost(WAIT).until(() -> holder(api), holder -> holder != null);
            try (ServiceInstance second = ServiceInstance.start(database, bridge)) {
                api.kubectl.resource(manifest("one")).create();
                await().atMost(WAIT).until(() -> !events.ofType("default/one", "JobRegistered").isEmpty());
                assertThat(holder(api)).as("the first replica keeps the Lease").isEqualTo(firstHolder);

                first.close();

                String secondHolder = await().atMost(WAIT).until(() -> holder(api),
                        holder -> holder != null && !holder.isEmpty() && !holder.equals(firstHolder));
                assertThat(secondHolder).isNotEqualTo(firstHolder);
                api.kubectl.resource(manifest("two")).create();
                await().atMost(WAIT).until(() -> !events.ofType("default/two", "JobRegistered").isEmpty());
            }
        }
    }

    /**
     * The leader is a process of its own and dies by SIGKILL, so it neither releases the Lease nor finishes what it
     * was doing: the other replica takes the Lease once it has expired, and a FlinkCluster created while no one
     * led is translated then.
     */
    @Test
    void whenTheLeaderIsKilledTheOtherReplicaTakesOverWithinTheLeaseDuration() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("lease_kill");
        StoredEvents events = new StoredEvents(database);
        Duration leaseDuration = Duration.ofSeconds(4);
        try (MockApiServer api = new MockApiServer()) {
            java.util.List<String> bridge = new java.util.ArrayList<>(java.util.List.of("savepoints.k8s.enabled=true",
                    "savepoints.k8s.master-url=" + api.masterUrl(), "savepoints.k8s.lease-duration=" + leaseDuration.toSeconds() + "s",
                    "savepoints.flink.job-manager-url-template=http://127.0.0.1:1"));
            database.springProperties().forEach((key, value) -> bridge.add(key + "=" + value));
            try (ServiceProcess leader = ServiceProcess.start("lease-leader", "leader", bridge)) {
                await().atMost(WAIT).until(() -> holder(api), holder -> holder != null && holder.startsWith("leader-"));
                try (ServiceInstance follower = ServiceInstance.start(database, bridge.toArray(String[]::new))) {
                    api.kubectl.resource(manifest("before")).create();
                    await().atMost(WAIT).until(() -> !events.ofType("default/before", "JobRegistered").isEmpty());

                    leader.kill();
                    long killed = System.nanoTime();
                    api.kubectl.resource(manifest("meanwhile")).create();

                    await().atMost(WAIT).until(() -> holder(api), holder -> holder != null && !holder.startsWith("leader-"));
                    Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
                    await().atMost(WAIT).until(() -> !events.ofType("default/meanwhile", "JobRegistered").isEmpty());
                    // measured, not asserted: the time is reported with the crash tests' kill points
                    java.nio.file.Path report = java.nio.file.Path.of("target", "crash-tests", "lease-takeover.txt");
                    java.nio.file.Files.createDirectories(report.getParent());
                    java.nio.file.Files.writeString(report, "leader SIGKILLed; Lease (" + leaseDuration.toSeconds()
                            + " s) taken by the other replica after " + takeover.toMillis() + " ms\n");
                    assertThat(events.ofType("default/before", "JobRegistered")).hasSize(1);
                }
            }
        }
    }

    private static String holder(MockApiServer api) {
        Lease lease = api.kubectl.leases().inNamespace("default").withName(K8sBridgeProperties.LEASE_NAME).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }
}

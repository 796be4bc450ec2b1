package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.k8s.K8sBridgeProperties;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterSpec;
import dev.savepoints.k8s.model.JobSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two replicas on one API server and database: one translates at a time, and the other takes over. */
class BridgeLeaseIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FlinkCluster manifest(String name) {
        JobSpec job = new JobSpec();
        job.setSavepointsDir("gs://my-bucket/savepoints/");
        FlinkClusterSpec spec = new FlinkClusterSpec();
        spec.setJob(job);
        FlinkCluster cluster = new FlinkCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        cluster.setSpec(spec);
        return cluster;
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

    private static String holder(MockApiServer api) {
        Lease lease = api.kubectl.leases().inNamespace("default").withName(K8sBridgeProperties.LEASE_NAME).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }
}

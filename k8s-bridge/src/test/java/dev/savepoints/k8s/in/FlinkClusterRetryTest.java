package dev.savepoints.k8s.in;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.command.api.Backoff;
import dev.savepoints.command.api.DeregisterJob;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.k8s.model.FlinkCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A FlinkCluster change whose command does not get through (the database is away) is sent again after a backoff
 * that doubles up to its cap, from the informer's cache as the resource then stands, long before the resync (an
 * hour here); the retries end when the resource is deleted and when the replica loses the Lease. On fabric8's mock
 * API server; the commands reach a real Axon command bus whose handlers refuse as told (the fault injected).
 */
class FlinkClusterRetryTest {

    private static final Path CRD = Path.of("..", "deploy", "crds", "flinkclusters.flinkoperator.k8s.io-v1.yml");
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private KubernetesMockServer server;
    private KubernetesClient kubectl;
    private RecordingExecutor retries;
    private FlinkClusterWatcher watcher;
    private final List<Object> received = new CopyOnWriteArrayList<>();
    private final List<Object> accepted = new CopyOnWriteArrayList<>();
    /** Which commands are refused, as a database outage refuses them. */
    private volatile Predicate<Object> refused = command -> false;

    @BeforeEach
    void setUp() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        kubectl = server.createClient();
        try (InputStream crd = Files.newInputStream(CRD)) {
            kubectl.resource(kubectl.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
        retries = new RecordingExecutor();
        watcher = new FlinkClusterWatcher(kubectl, commands(), null, List.of("outage"), Duration.ofHours(1), BACKOFF,
                retries, null);
        watcher.start();
    }

    @AfterEach
    void tearDown() {
        watcher.close();
        kubectl.close();
        server.destroy();
    }

    /** Axon's gateway and bus; each command is recorded, then refused if {@link #refused} says so. */
    private CommandGateway commands() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        for (String name : List.of(RegisterJob.class.getName(), DeregisterJob.class.getName(),
                "dev.savepoints.command.api.TriggerSavepoint", "dev.savepoints.command.api.RequestControl")) {
            bus.subscribe(name, (CommandMessage<?> message) -> {
                Object command = message.getPayload();
                received.add(command);
                if (refused.test(command)) {
                    throw new RuntimeException("Could not open JPA EntityManager for transaction: connection refused");
                }
                accepted.add(command);
                return null;
            });
        }
        return DefaultCommandGateway.builder().commandBus(bus).build();
    }

    private static FlinkCluster cluster(String name, int autoSavepointSeconds) {
        return new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(
                "{\"apiVersion\":\"flinkoperator.k8s.io/v1beta1\",\"kind\":\"FlinkCluster\",\"metadata\":{\"name\":\"" + name
                        + "\",\"namespace\":\"outage\"},\"spec\":{\"job\":{\"savepointsDir\":\"gs://bucket/savepoints\","
                        + "\"autoSavepointSeconds\":" + autoSavepointSeconds + "}}}", FlinkCluster.class);
    }

    private long count(List<Object> commands, Class<?> type) {
        return commands.stream().filter(type::isInstance).count();
    }

    /** The positive marker of "nothing more comes": no retry waits or runs (a dropped one leaves the queue). */
    private void awaitNoRetryPending() {
        await().atMost(WAIT).until(retries::idle);
    }

    @Test
    void aRegistrationRefusedDuringAnOutageIsSentAgainWithBackoffUpToItsCapNotAtTheResync() {
        AtomicInteger outage = new AtomicInteger(4);
        refused = command -> command instanceof RegisterJob && outage.getAndDecrement() > 0;

        kubectl.resource(cluster("counting", 60)).create();

        await().atMost(WAIT).until(() -> count(accepted, RegisterJob.class) == 1);
        awaitNoRetryPending();
        assertThat(count(received, RegisterJob.class)).as("four refused, the fifth taken").isEqualTo(5);
        assertThat(retries.delays).as("doubling from 50 ms up to the cap of 200 ms")
                .containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(200));
    }

    @Test
    void theRetrySendsTheResourceAsItStandsWhenItFires() {
        refused = command -> true;
        kubectl.resource(cluster("counting", 60)).create();
        await().atMost(WAIT).until(() -> count(received, RegisterJob.class) >= 1);
        kubectl.resources(FlinkCluster.class).inNamespace("outage").withName("counting")
                .edit(c -> {
                    c.getSpec().getJob().setAutoSavepointSeconds(120);
                    return c;
                });
        await().atMost(WAIT).until(() -> received.stream().anyMatch(c -> c instanceof RegisterJob r
                && Integer.valueOf(120).equals(r.settings().autoSavepointSeconds())));

        refused = command -> false; // the database is back

        await().atMost(WAIT).until(() -> count(accepted, RegisterJob.class) >= 1);
        awaitNoRetryPending();
        assertThat(accepted).hasSize(1).allSatisfy(c -> assertThat(((RegisterJob) c).settings().autoSavepointSeconds())
                .as("the version in the cache when the retry fired").isEqualTo(120));
    }

    @Test
    void aRetryIsDroppedWhenItsResourceIsDeleted() {
        refused = command -> command instanceof RegisterJob;
        kubectl.resource(cluster("counting", 60)).create();
        await().atMost(WAIT).until(() -> count(received, RegisterJob.class) >= 2); // retried at least once

        kubectl.resources(FlinkCluster.class).inNamespace("outage").withName("counting").delete();

        await().atMost(WAIT).until(() -> count(accepted, DeregisterJob.class) == 1);
        awaitNoRetryPending();
        List<Object> afterDeletion = received.subList(received.indexOf(accepted.get(0)) + 1, received.size());
        assertThat(afterDeletion).as("nothing registers the deleted resource again").isEmpty();
    }

    @Test
    void aDeletionRefusedDuringAnOutageIsSentAgain() {
        kubectl.resource(cluster("counting", 60)).create();
        await().atMost(WAIT).until(() -> count(accepted, RegisterJob.class) == 1);
        AtomicInteger outage = new AtomicInteger(2);
        refused = command -> command instanceof DeregisterJob && outage.getAndDecrement() > 0;

        kubectl.resources(FlinkCluster.class).inNamespace("outage").withName("counting").delete();

        await().atMost(WAIT).until(() -> count(accepted, DeregisterJob.class) == 1);
        awaitNoRetryPending();
        assertThat(count(received, DeregisterJob.class)).isEqualTo(3);
        assertThat(retries.delays).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Test
    void aReplicaThatLosesTheLeaseDropsItsRetries() {
        refused = command -> true;
        kubectl.resource(cluster("counting", 60)).create();
        await().atMost(WAIT).until(() -> count(received, RegisterJob.class) >= 2);

        watcher.stop(); // what BridgeLeadership does when the Lease is lost

        assertThat(retries.getQueue()).as("the pending retry is dropped at once").isEmpty();
        int scheduled = retries.delays.size();
        awaitNoRetryPending();
        assertThat(retries.delays).as("a retry running at that moment schedules no next one").hasSize(scheduled);
    }

    /** A real scheduler that notes each wait it is given. */
    private static final class RecordingExecutor extends ScheduledThreadPoolExecutor {

        final List<Duration> delays = new CopyOnWriteArrayList<>();

        RecordingExecutor() {
            super(1);
            setRemoveOnCancelPolicy(true);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delays.add(Duration.ofNanos(unit.toNanos(delay)));
            return super.schedule(command, delay, unit);
        }

        boolean idle() {
            return getQueue().isEmpty() && getActiveCount() == 0;
        }
    }
}

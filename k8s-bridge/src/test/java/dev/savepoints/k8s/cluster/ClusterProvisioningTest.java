package dev.savepoints.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.command.api.Backoff;
import dev.savepoints.command.api.DeregisterJob;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.RequestControl;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.k8s.in.FlinkClusterWatcher;
import dev.savepoints.k8s.in.SpecTranslator;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.out.ClusterStatusPatcher;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Flink cluster of a FlinkCluster, created and kept by the bridge on fabric8's mock API server in CRUD mode
 * (CRD loaded): the operator's session sample applied unchanged makes its objects; one deleted or edited by hand is
 * put back; a replicas change writes the TaskManagers only; an object of the same name that is not the
 * FlinkCluster's is left alone and reported; a FlinkCluster that names its own JobManager gets nothing.
 */
class ClusterProvisioningTest {

    private static final Path CRD = Path.of("..", "deploy", "crds", "flinkclusters.flinkoperator.k8s.io-v1.yml");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NAMESPACE = "default";
    private static final String NAME = "flinksessioncluster-sample";

    private KubernetesMockServer server;
    private KubernetesClient kubectl;
    private FlinkClusterWatcher watcher;
    private final List<Object> commands = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        kubectl = server.createClient();
        try (InputStream crd = Files.newInputStream(CRD)) {
            kubectl.resource(kubectl.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        for (Class<?> type : List.of(RegisterJob.class, DeregisterJob.class, TriggerSavepoint.class, RequestControl.class)) {
            bus.subscribe(type.getName(), message -> commands.add(message.getPayload()));
        }
        ClusterStatusPatcher patcher = new ClusterStatusPatcher(kubectl, new SimpleMeterRegistry());
        watcher = new FlinkClusterWatcher(kubectl, DefaultCommandGateway.builder().commandBus(bus).build(), patcher,
                List.of(NAMESPACE), Duration.ofHours(1), new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)),
                Executors.newSingleThreadScheduledExecutor(),
                new ClusterProvisioner(kubectl, patcher, new SimpleMeterRegistry(), List.of(NAMESPACE), Duration.ofHours(1)));
        watcher.start();
    }

    @AfterEach
    void tearDown() {
        watcher.close();
        kubectl.close();
        server.destroy();
    }

    private FlinkCluster apply(String sample) throws Exception {
        FlinkCluster cluster = ClusterObjectsTest.sample(sample);
        cluster.getMetadata().setUid(null);
        return kubectl.resource(cluster).create();
    }

    private StatefulSet statefulSet(String name) {
        return kubectl.apps().statefulSets().inNamespace(NAMESPACE).withName(name).get();
    }

    private List<HasMetadata> objects() {
        return java.util.Arrays.asList(kubectl.configMaps().inNamespace(NAMESPACE).withName(NAME + "-configmap").get(),
                statefulSet(NAME + "-jobmanager"),
                kubectl.services().inNamespace(NAMESPACE).withName(NAME + "-jobmanager").get(),
                kubectl.services().inNamespace(NAMESPACE).withName(NAME + "-taskmanager").get(),
                statefulSet(NAME + "-taskmanager"));
    }

    private void awaitAllFive() {
        await().atMost(WAIT).until(() -> objects().stream().allMatch(java.util.Objects::nonNull));
    }

    private List<String> versions() {
        return objects().stream().map(object -> object.getMetadata().getResourceVersion()).toList();
    }

    private List<Event> events(String reason) {
        return kubectl.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(event -> reason.equals(event.getReason())).toList();
    }

    @Test
    void theSessionSampleMakesItsObjectsOwnedByTheFlinkClusterAndAsDeclared() throws Exception {
        FlinkCluster cluster = apply(NAME);
        awaitAllFive();
        List<HasMetadata> declared = ClusterProvisioner.declared(cluster);
        List<HasMetadata> made = objects();
        for (int i = 0; i < declared.size(); i++) {
            HasMetadata object = made.get(i);
            assertThat(object.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(cluster.getMetadata().getUid()));
            assertThat(Drift.difference(declared.get(i), Drift.hash(declared.get(i)), object)).as(object.getKind()).isNull();
        }
        assertThat(statefulSet(NAME + "-taskmanager").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("flink:1.14.2");
        assertThat(commands).as("a session cluster asks for no job").isEmpty();
        apply("flinkjobcluster-sample");
        await().atMost(WAIT).until(() -> commands.stream().anyMatch(RegisterJob.class::isInstance));
        assertThat(statefulSet("flinkjobcluster-sample-jobmanager")).as("made before its job is registered").isNotNull();
    }

    @Test
    void anObjectDeletedOrEditedByHandIsPutBack() throws Exception {
        apply(NAME);
        awaitAllFive();
        kubectl.apps().statefulSets().inNamespace(NAMESPACE).withName(NAME + "-taskmanager").delete();
        await().atMost(WAIT).until(() -> statefulSet(NAME + "-taskmanager") != null);

        kubectl.apps().statefulSets().inNamespace(NAMESPACE).withName(NAME + "-jobmanager").edit(jm -> {
            jm.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("flink:evil");
            return jm;
        });
        await().atMost(WAIT).until(() -> "flink:1.14.2".equals(statefulSet(NAME + "-jobmanager").getSpec().getTemplate()
                .getSpec().getContainers().get(0).getImage()));
        assertThat(events(ClusterProvisioner.CLUSTER_OBJECT_RESTORED)).singleElement().satisfies(event ->
                assertThat(event.getMessage()).contains("StatefulSet " + NAME + "-jobmanager was changed outside",
                        "spec.template.spec.containers[0].image"));

        kubectl.configMaps().inNamespace(NAMESPACE).withName(NAME + "-configmap").edit(config -> {
            config.getData().put("flink-conf.yaml", "rest.port: 1\n");
            return config;
        });
        await().atMost(WAIT).until(() -> kubectl.configMaps().inNamespace(NAMESPACE).withName(NAME + "-configmap").get()
                .getData().get("flink-conf.yaml").contains("rest.port: 8081\n"));
    }

    @Test
    void aReplicasChangeWritesTheTaskManagersOnly() throws Exception {
        apply(NAME);
        awaitAllFive();
        List<String> before = versions();
        edit(NAME, cluster -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> taskManager = (Map<String, Object>) cluster.getSpec().getOtherFields().get("taskManager");
            taskManager.put("replicas", 4);
            return cluster;
        });
        await().atMost(WAIT).until(() -> statefulSet(NAME + "-taskmanager").getSpec().getReplicas() == 4);
        List<String> after = versions();
        assertThat(after.subList(0, 4)).as("ConfigMap, JobManager, its Service, the TaskManagers' Service")
                .isEqualTo(before.subList(0, 4));
        assertThat(after.get(4)).isNotEqualTo(before.get(4));
    }

    @Test
    void anObjectOfTheSameNameThatIsNotTheFlinkClustersMeansNothingIsCreatedAndIsReported() throws Exception {
        ConfigMap theirs = new ConfigMapBuilder().withNewMetadata().withName(NAME + "-configmap").withNamespace(NAMESPACE)
                .endMetadata().addToData("flink-conf.yaml", "theirs: true\n").build();
        kubectl.resource(theirs).create();
        apply(NAME);
        await().atMost(WAIT).until(() -> !events(ClusterProvisioner.CLUSTER_NOT_CREATED).isEmpty());
        assertThat(events(ClusterProvisioner.CLUSTER_NOT_CREATED)).singleElement().satisfies(event ->
                assertThat(event.getMessage()).startsWith("ConfigMap " + NAME
                        + "-configmap exists and does not belong to this FlinkCluster: nothing of its cluster is created"));
        assertThat(kubectl.configMaps().inNamespace(NAMESPACE).withName(NAME + "-configmap").get().getData())
                .isEqualTo(Map.of("flink-conf.yaml", "theirs: true\n"));
        apply("flinkjobcluster-sample"); // the marker: once its cluster is made, the first one was looked at again
        await().atMost(WAIT).until(() -> statefulSet("flinkjobcluster-sample-taskmanager") != null);
        assertThat(statefulSet(NAME + "-jobmanager")).as("a cluster that is not the service's is not half made").isNull();
        assertThat(kubectl.services().inNamespace(NAMESPACE).withName(NAME + "-jobmanager").get()).isNull();
    }

    @Test
    void aFlinkClusterThatNamesItsJobManagerGetsNoObjects() throws Exception {
        FlinkCluster cluster = ClusterObjectsTest.sample(NAME);
        cluster.getMetadata().setUid(null);
        cluster.getMetadata().setAnnotations(Map.of(SpecTranslator.JOBMANAGER_URL_ANNOTATION, "http://flink:8081"));
        kubectl.resource(cluster).create();
        apply("flinkjobcluster-sample"); // the marker: it is made, so the first one was seen before it
        await().atMost(WAIT).until(() -> statefulSet("flinkjobcluster-sample-taskmanager") != null);
        assertThat(statefulSet(NAME + "-jobmanager")).isNull();
        assertThat(kubectl.services().inNamespace(NAMESPACE).list().getItems()).extracting(s -> s.getMetadata().getName())
                .allMatch(name -> name.startsWith("flinkjobcluster-sample"));
    }

    /** Plays the StatefulSet controller: {@code ready} of the object's pods are ready, of its current declaration. */
    private void podsReady(String name, int ready) {
        StatefulSet set = statefulSet(name);
        set.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                .withReplicas(set.getSpec().getReplicas()).withReadyReplicas(ready)
                .withUpdatedReplicas(set.getSpec().getReplicas())
                .withObservedGeneration(set.getMetadata().getGeneration() == null ? 1 : set.getMetadata().getGeneration())
                .build());
        kubectl.resource(set).updateStatus();
    }

    private FlinkCluster resource() {
        return kubectl.resources(FlinkCluster.class).inNamespace(NAMESPACE).withName(NAME).get();
    }

    @Test
    void aSessionClustersStatusFollowsItsObjectsStatusCreatingThenRunningThenReconciling() throws Exception {
        apply(NAME);
        awaitAllFive();
        await().atMost(WAIT).until(() -> resource().getStatus() != null && resource().getStatus().getComponents() != null
                && resource().getStatus().getComponents().getTaskManager() != null);
        FlinkCluster creating = resource();
        assertThat(creating.getStatus().getState()).isEqualTo("Creating");
        assertThat(creating.getStatus().getComponents().getConfigMap().getState()).isEqualTo("Ready");
        assertThat(creating.getStatus().getComponents().getJobManagerService().getState()).isEqualTo("Ready");
        assertThat(creating.getStatus().getComponents().getJobManager().getState()).isEqualTo("NotReady");
        assertThat(creating.getStatus().getComponents().getJobManager().getReady()).isEqualTo("0/1");

        podsReady(NAME + "-jobmanager", 1);
        podsReady(NAME + "-taskmanager", 1);
        await().atMost(WAIT).until(() -> "Running".equals(resource().getStatus().getState()));
        var running = resource().getStatus().getComponents();
        assertThat(running.getJobManager().getReady()).isEqualTo("1/1");
        assertThat(running.getTaskManager().getName()).isEqualTo(NAME + "-taskmanager");
        assertThat(running.getTaskManager().getState()).isEqualTo("Ready");
        assertThat(running.getTaskManager().getReplicas()).isEqualTo(1);
        assertThat(running.getTaskManager().getReadyReplicas()).isEqualTo(1);

        podsReady(NAME + "-taskmanager", 0); // its pod is gone
        await().atMost(WAIT).until(() -> "Reconciling".equals(resource().getStatus().getState()));
        assertThat(resource().getStatus().getComponents().getTaskManager().getReady()).isEqualTo("0/1");
    }

    private void jobState(String name, String state) {
        FlinkCluster cluster = kubectl.resources(FlinkCluster.class).inNamespace(NAMESPACE).withName(name).get();
        var status = new dev.savepoints.k8s.model.FlinkClusterStatus();
        status.setComponents(new dev.savepoints.k8s.model.FlinkClusterStatus.Components());
        status.getComponents().setJob(new dev.savepoints.k8s.model.FlinkClusterStatus.Job());
        status.getComponents().getJob().setState(state);
        cluster.setStatus(status);
        kubectl.resource(cluster).updateStatus();
    }

    private static String image(StatefulSet set) {
        return set.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void whileTheJobRunsANewImageWaitsForItToStopButTaskManagerReplicasChangeAtOnce() throws Exception {
        String name = "flinkjobcluster-sample";
        apply(name);
        await().atMost(WAIT).until(() -> statefulSet(name + "-taskmanager") != null);
        jobState(name, "Running");
        edit(name, cluster -> {
            cluster.getSpec().setOtherField("image", Map.of("name", "flink:1.14.6"));
            @SuppressWarnings("unchecked")
            Map<String, Object> taskManager = (Map<String, Object>) cluster.getSpec().getOtherFields().get("taskManager");
            taskManager.put("replicas", 5);
            return cluster;
        });
        await().atMost(WAIT).until(() -> statefulSet(name + "-taskmanager").getSpec().getReplicas() == 5);
        assertThat(image(statefulSet(name + "-taskmanager"))).as("replicas only").isEqualTo("flink:1.14.2");
        assertThat(image(statefulSet(name + "-jobmanager"))).isEqualTo("flink:1.14.2");

        jobState(name, "Updating"); // the upgrade stopped it with a savepoint
        await().atMost(WAIT).until(() -> "flink:1.14.6".equals(image(statefulSet(name + "-jobmanager"))));
        await().atMost(WAIT).until(() -> "flink:1.14.6".equals(image(statefulSet(name + "-taskmanager"))));
        assertThat(statefulSet(name + "-taskmanager").getSpec().getReplicas()).isEqualTo(5);
        RegisterJob last = (RegisterJob) commands.stream().filter(RegisterJob.class::isInstance)
                .reduce((first, second) -> second).orElseThrow();
        RegisterJob firstRegistration = (RegisterJob) commands.stream().filter(RegisterJob.class::isInstance)
                .findFirst().orElseThrow();
        assertThat(last.settings().clusterRevision()).as("the job is told its cluster's new revision")
                .isNotNull().isNotEqualTo(firstRegistration.settings().clusterRevision());
    }

    @Test
    void aSessionClusterWhoseDeclarationCannotBeMadeIsRefusedUntilItIsCorrected() throws Exception {
        FlinkCluster cluster = ClusterObjectsTest.sample(NAME);
        cluster.getMetadata().setUid(null);
        cluster.getSpec().getJobManager().setOtherField("accessScope", "Everywhere");
        kubectl.resource(cluster).create();
        await().atMost(WAIT).until(() -> resource().getStatus() != null && resource().getStatus().getControl() != null);
        assertThat(resource().getStatus().getControl().getState()).isEqualTo("Failed");
        assertThat(resource().getStatus().getControl().getMessage()).contains("spec.jobManager.accessScope must be one of");
        assertThat(statefulSet(NAME + "-jobmanager")).as("nothing made").isNull();

        edit(NAME, c -> {
            c.getSpec().getJobManager().setOtherField("accessScope", "Cluster");
            return c;
        });
        awaitAllFive();
        await().atMost(WAIT).until(() -> "Succeeded".equals(resource().getStatus().getControl().getState()));
        assertThat(resource().getStatus().getState()).isEqualTo("Creating");
    }

    /**
     * kubectl edit: read, change, write, again when the resource changed in between (the service writes status
     * meanwhile, and an edit over a stale version is refused with 409, as a real API server refuses it).
     */
    private void edit(String name, java.util.function.UnaryOperator<FlinkCluster> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                kubectl.resources(FlinkCluster.class).inNamespace(NAMESPACE).withName(name).edit(change);
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }
}

package dev.savepoints.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoints.k8s.model.FlinkCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The upstream operator's sample FlinkClusters, applied unchanged, make the objects kept in
 * {@code cluster/*.objects.yaml}: compared whole, so that any change in what the service creates shows in review.
 * A differing result is written next to the test's classes ({@code target/test-classes/cluster/}) for comparison.
 */
class ClusterObjectsTest {

    private static final String UID = "5d7bd2b4-7a3c-4cf9-9d1c-0b2e8d4f6a10";

    static FlinkCluster sample(String name) throws IOException {
        try (InputStream yaml = ClusterObjectsTest.class.getResourceAsStream("/cluster/" + name + ".yaml")) {
            FlinkCluster cluster = ClusterSpec.SERIALIZATION.unmarshal(yaml, FlinkCluster.class);
            cluster.getMetadata().setNamespace("default");
            cluster.getMetadata().setUid(UID);
            return cluster;
        }
    }

    static String yaml(List<HasMetadata> objects) {
        return ClusterSpec.SERIALIZATION.asYaml(new KubernetesListBuilder().withItems(objects).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"flinksessioncluster-sample", "flinkjobcluster-sample"})
    void theOperatorsSamplesMakeTheObjectsKeptInTheTestResources(String name) throws Exception {
        String made = yaml(ClusterProvisioner.declared(sample(name)));
        Path expected = Path.of("src/test/resources/cluster/" + name + ".objects.yaml");
        if (!Files.exists(expected) || !Files.readString(expected).equals(made)) {
            Files.writeString(Path.of("target/test-classes/cluster/" + name + ".objects.yaml"), made);
        }
        assertThat(made).isEqualTo(Files.exists(expected) ? Files.readString(expected, StandardCharsets.UTF_8) : "");
    }

    @Test
    void theSamplesFieldsAReviewerChecks() throws Exception {
        List<HasMetadata> objects = ClusterProvisioner.declared(sample("flinksessioncluster-sample"));
        assertThat(objects).extracting(o -> o.getKind() + " " + o.getMetadata().getName()).containsExactly(
                "ConfigMap flinksessioncluster-sample-configmap",
                "StatefulSet flinksessioncluster-sample-jobmanager",
                "Service flinksessioncluster-sample-jobmanager",
                "Service flinksessioncluster-sample-taskmanager",
                "StatefulSet flinksessioncluster-sample-taskmanager");
        assertThat(objects).allSatisfy(object -> {
            assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
                assertThat(owner.getKind()).isEqualTo("FlinkCluster");
                assertThat(owner.getUid()).isEqualTo(UID);
                assertThat(owner.getController()).isTrue();
            });
            assertThat(object.getMetadata().getLabels()).containsEntry("app", "flink")
                    .containsEntry("cluster", "flinksessioncluster-sample");
        });
        JsonNode jm = tree(objects.get(1));
        assertThat(jm.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("flink:1.14.2");
        assertThat(jm.at("/spec/template/spec/securityContext/runAsUser").asInt()).isEqualTo(9999);
        assertThat(jm.at("/spec/template/spec/containers/0/resources/limits/memory").asText()).isEqualTo("2048Mi");
        JsonNode tm = tree(objects.get(4));
        assertThat(tm.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(tm.at("/spec/template/spec/containers").findValuesAsText("name")).contains("taskmanager", "sidecar");
        JsonNode service = tree(objects.get(2));
        assertThat(service.at("/spec/ports").findValuesAsText("name")).containsExactly("rpc", "blob", "query", "ui");
        Map<String, String> config = ((io.fabric8.kubernetes.api.model.ConfigMap) objects.get(0)).getData();
        assertThat(config.get("flink-conf.yaml")).contains("jobmanager.rpc.address: flinksessioncluster-sample-jobmanager\n",
                "taskmanager.numberOfTaskSlots: 1\n", "taskmanager.memory.process.size: 1639m\n");
    }

    @Test
    void flink2ReadsConfigYamlWithValuesQuotedWhereYamlNeedsIt() throws Exception {
        FlinkCluster cluster = sample("flinkjobcluster-sample");
        cluster.getSpec().setOtherField("flinkVersion", "2.0");
        cluster.getSpec().setOtherField("flinkProperties", Map.of("env.java.opts.all", "-Dx=y # not a comment",
                "taskmanager.numberOfTaskSlots", "2"));
        var config = (io.fabric8.kubernetes.api.model.ConfigMap) ClusterProvisioner.declared(cluster).get(0);
        assertThat(config.getData()).containsKey("config.yaml").doesNotContainKey("flink-conf.yaml");
        assertThat(config.getData().get("config.yaml")).contains("env.java.opts.all: '-Dx=y # not a comment'\n",
                "taskmanager.numberOfTaskSlots: 2\n");
    }

    @Test
    void whatCannotMakeAClusterIsRefusedWithWhereItIs() throws Exception {
        FlinkCluster noImage = sample("flinkjobcluster-sample");
        noImage.getSpec().getOtherFields().remove("image");
        assertThatThrownBy(() -> ClusterProvisioner.declared(noImage)).hasMessageContaining("spec.image.name is required");
        FlinkCluster badReplicas = sample("flinkjobcluster-sample");
        badReplicas.getSpec().setOtherField("taskManager", Map.of("replicas", "many"));
        assertThatThrownBy(() -> ClusterProvisioner.declared(badReplicas))
                .hasMessageStartingWith("spec.taskManager.replicas cannot be read");
        FlinkCluster longName = sample("flinkjobcluster-sample");
        longName.getMetadata().setName("a".repeat(50));
        assertThatThrownBy(() -> ClusterProvisioner.declared(longName)).hasMessageContaining("at most 49 lowercase letters");
        FlinkCluster dotted = sample("flinkjobcluster-sample");
        dotted.getMetadata().setName("my.cluster");
        assertThatThrownBy(() -> ClusterProvisioner.declared(dotted)).hasMessageContaining("cannot name a Flink cluster");
        FlinkCluster badScope = sample("flinkjobcluster-sample");
        badScope.getSpec().getJobManager().setOtherField("accessScope", "Everywhere");
        assertThatThrownBy(() -> ClusterProvisioner.declared(badScope))
                .hasMessageContaining("spec.jobManager.accessScope must be one of");
    }

    @Test
    void aUsersOwnProbeCheckReplacesTheDefaultOne() {
        var declared = new io.fabric8.kubernetes.api.model.ProbeBuilder().withNewHttpGet().withPath("/overview")
                .withPort(new io.fabric8.kubernetes.api.model.IntOrString("ui")).endHttpGet().withPeriodSeconds(7).build();
        var probe = FlinkPods.probe(declared, 6123, 60, 5);
        assertThat(probe.getTcpSocket()).isNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo("/overview");
        assertThat(probe.getPeriodSeconds()).isEqualTo(7);
        assertThat(probe.getTimeoutSeconds()).isEqualTo(10);
    }

    private static JsonNode tree(HasMetadata object) {
        return ClusterSpec.SERIALIZATION.convertValue(object, JsonNode.class);
    }
}

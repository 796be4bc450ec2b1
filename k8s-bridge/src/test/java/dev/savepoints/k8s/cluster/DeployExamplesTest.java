package dev.savepoints.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.k8s.in.SpecTranslator;
import dev.savepoints.k8s.model.FlinkCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ready-to-apply FlinkClusters of deploy/examples/ are read whole and make the cluster their mode says. */
class DeployExamplesTest {

    private static FlinkCluster example(String file) throws Exception {
        try (InputStream yaml = Files.newInputStream(Path.of("..", "deploy", "examples", file))) {
            FlinkCluster cluster = ClusterSpec.SERIALIZATION.unmarshal(yaml, FlinkCluster.class);
            cluster.getMetadata().setNamespace("default");
            cluster.getMetadata().setUid("uid");
            return cluster;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"session-cluster.yaml", "job-cluster.yaml"})
    void theExamplesThatDeclareAClusterMakeOne(String file) throws Exception {
        FlinkCluster cluster = example(file);
        assertThat(SpecTranslator.unreadable(cluster)).isEmpty();
        assertThat(SpecTranslator.createsItsCluster(cluster)).isTrue();
        List<HasMetadata> objects = ClusterProvisioner.declared(cluster);
        assertThat(objects).extracting(HasMetadata::getKind)
                .containsExactly("ConfigMap", "StatefulSet", "Service", "Service", "StatefulSet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"job-cluster.yaml", "own-jobmanager.yaml"})
    void theJobExamplesAreReadWhole(String file) throws Exception {
        FlinkCluster cluster = example(file);
        assertThat(SpecTranslator.unreadable(cluster)).isEmpty();
        var settings = SpecTranslator.settings(cluster);
        assertThat(settings.automaticSavepoints()).isTrue();
        assertThat(settings.artifact().jarFile()).isNotBlank();
    }

    @org.junit.jupiter.api.Test
    void theExampleThatNamesItsJobManagerGetsNoCluster() throws Exception {
        FlinkCluster cluster = example("own-jobmanager.yaml");
        assertThat(SpecTranslator.createsItsCluster(cluster)).isFalse();
        assertThat(SpecTranslator.settings(cluster).jobManagerUrl()).isEqualTo("http://flink-jobmanager.flink.svc:8081");
        assertThat(SpecTranslator.settings(cluster).retention())
                .isEqualTo(new dev.savepoints.command.api.RetentionPolicy(24, 7200, null, null, List.of()));
    }
}

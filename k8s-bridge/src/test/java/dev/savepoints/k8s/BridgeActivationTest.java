package dev.savepoints.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeActivationTest {

    @TempDir
    Path home;

    @Test
    void withoutAnyClusterTheBridgeIsOffAndSaysWhy() {
        Optional<String> cluster = ClusterDetection.findCluster(Map.of(), home);
        BridgeActivation activation = BridgeActivation.decide(new K8sBridgeProperties(null, null, null, null, null, null, null, null, null, null, null), cluster);
        assertThat(activation.active()).isFalse();
        assertThat(activation.describe()).startsWith("Kubernetes bridge off: no Kubernetes cluster was found");
    }

    @Test
    void aClusterIsFoundInClusterThroughKubeconfigOrInTheHomeDirectory() throws Exception {
        assertThat(ClusterDetection.findCluster(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), home))
                .hasValueSatisfying(how -> assertThat(how).contains("in-cluster"));
        assertThat(ClusterDetection.findCluster(Map.of("KUBECONFIG", "/etc/kube.conf"), home)).contains("KUBECONFIG=/etc/kube.conf");
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), "apiVersion: v1\nkind: Config\n");
        assertThat(ClusterDetection.findCluster(Map.of(), home)).contains(home.resolve(".kube/config").toString());
    }

    @Test
    void aFoundClusterTurnsTheBridgeOnUnlessSwitchedOff() {
        Optional<String> cluster = Optional.of("KUBECONFIG=/x");
        assertThat(BridgeActivation.decide(new K8sBridgeProperties(null, null, List.of("flink"), null, null, null, null, null, null, null, null), cluster).describe())
                .isEqualTo("Kubernetes bridge on: cluster from KUBECONFIG=/x, namespaces [flink]");
        assertThat(BridgeActivation.decide(new K8sBridgeProperties(false, null, null, null, null, null, null, null, null, null, null), cluster).active()).isFalse();
    }
}

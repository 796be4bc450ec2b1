package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Container;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every manifest of deploy/ loads and applies to the (mock) API server, and the kustomization lists them all. */
class DeployManifestsTest {

    static final Path DEPLOY = Path.of("..", "deploy");

    @Test
    void everyManifestAppliesAndTheServiceRunsAsNonRootWithProbes() throws Exception {
        String kustomization = Files.readString(DEPLOY.resolve("kustomization.yaml"));
        List<HasMetadata> applied = new ArrayList<>();
        try (MockApiServer api = new MockApiServer()) {
            for (String manifest : List.of("namespace.yaml", "rbac.yaml", "config.yaml", "deployment.yaml")) {
                assertThat(kustomization).as("kustomization.yaml lists " + manifest).contains("- " + manifest);
                try (InputStream yaml = Files.newInputStream(DEPLOY.resolve(manifest))) {
                    for (HasMetadata item : api.kubectl.load(yaml).items()) {
                        if (item.getMetadata().getNamespace() == null && !"Namespace".equals(item.getKind())
                                && !item.getKind().startsWith("Cluster")) {
                            item.getMetadata().setNamespace("savepoint-orchestrator"); // what kustomize does
                        }
                        applied.add(api.kubectl.resource(item).create());
                    }
                }
            }
            assertThat(kustomization).contains("- crds/flinkclusters.flinkoperator.k8s.io-v1.yml");
            assertThat(applied).extracting(HasMetadata::getKind).contains("Namespace", "ServiceAccount", "ClusterRole",
                    "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap", "Secret", "Deployment", "Service");

            Deployment deployment = api.kubectl.apps().deployments().inNamespace("savepoint-orchestrator")
                    .withName("savepoint-orchestrator").get();
            assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("savepoint-orchestrator");
            assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
            Container service = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(service.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(service.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(service.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
            assertThat(service.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(service.getResources().getRequests()).containsKeys("cpu", "memory");
        }
    }
}

package dev.savepoints.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds where a Kubernetes API server would come from, the way fabric8 and kubectl look for it. */
final class ClusterDetection {

    private ClusterDetection() {
    }

    /** How the cluster was found, or empty when there is none. */
    static Optional<String> findCluster(Map<String, String> env, Path home) {
        return findCluster(env, home, null);
    }

    static Optional<String> findCluster(Map<String, String> env, Path home, String masterUrl) {
        if (notBlank(masterUrl)) {
            return Optional.of("savepoints.k8s.master-url=" + masterUrl);
        }
        if (notBlank(env.get("KUBERNETES_SERVICE_HOST"))) {
            return Optional.of("in-cluster service account (KUBERNETES_SERVICE_HOST=" + env.get("KUBERNETES_SERVICE_HOST") + ")");
        }
        if (notBlank(env.get("KUBECONFIG"))) {
            return Optional.of("KUBECONFIG=" + env.get("KUBECONFIG"));
        }
        Path kubeconfig = home.resolve(".kube").resolve("config");
        if (Files.isRegularFile(kubeconfig)) {
            return Optional.of(kubeconfig.toString());
        }
        return Optional.empty();
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}

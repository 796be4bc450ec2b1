package dev.savepoints.k8s;

import java.util.Optional;

/** Whether the Kubernetes bridge runs, and why. */
public record BridgeActivation(boolean active, String reason) {

    static BridgeActivation decide(K8sBridgeProperties properties, Optional<String> cluster) {
        if (Boolean.FALSE.equals(properties.enabled())) {
            return new BridgeActivation(false, "switched off by savepoints.k8s.enabled=false");
        }
        if (cluster.isEmpty()) {
            return new BridgeActivation(false, "no Kubernetes cluster was found (no in-cluster service account, "
                    + "no KUBECONFIG, no ~/.kube/config); FlinkCluster resources are not watched");
        }
        String scope = properties.namespaces().isEmpty() ? "all namespaces" : "namespaces " + properties.namespaces();
        return new BridgeActivation(true, "cluster from " + cluster.get() + ", " + scope);
    }

    String describe() {
        return "Kubernetes bridge " + (active ? "on: " : "off: ") + reason;
    }
}

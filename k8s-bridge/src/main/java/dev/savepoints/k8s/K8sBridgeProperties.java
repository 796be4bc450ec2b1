package dev.savepoints.k8s;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Kubernetes bridge ({@code savepoints.k8s.*}).
 *
 * @param enabled    true requires a cluster, false switches the bridge off; unset, it is on when a cluster is found
 *                   (an in-cluster service account, {@code KUBECONFIG}, or {@code ~/.kube/config})
 * @param namespaces the namespaces whose FlinkClusters are managed; empty means all
 */
@ConfigurationProperties("savepoints.k8s")
public record K8sBridgeProperties(Boolean enabled, List<String> namespaces) {

    public K8sBridgeProperties {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }
}

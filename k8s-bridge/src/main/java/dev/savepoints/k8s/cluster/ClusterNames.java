package dev.savepoints.k8s.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/** The names and labels of a FlinkCluster's objects, as the upstream operator gives them. */
public final class ClusterNames {

    /** Marks the objects this service created, for its informers (never part of a selector). */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "savepoint-orchestrator";

    private ClusterNames() {
    }

    public static String configMap(String cluster) {
        return cluster + "-configmap";
    }

    public static String jobManager(String cluster) {
        return cluster + "-jobmanager";
    }

    public static String jobManagerService(String cluster) {
        return cluster + "-jobmanager";
    }

    public static String taskManager(String cluster) {
        return cluster + "-taskmanager";
    }

    public static String jobSubmitter(String cluster) {
        return cluster + "-job-submitter";
    }

    /** {@code app: flink, cluster: <name>}: selects every pod of the cluster. */
    static Map<String, String> clusterLabels(String cluster) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", "flink");
        labels.put("cluster", cluster);
        return labels;
    }

    /** The cluster's labels and {@code component: jobmanager} or {@code taskmanager}: a selector, never changed. */
    static Map<String, String> componentLabels(String cluster, String component) {
        Map<String, String> labels = clusterLabels(cluster);
        labels.put("component", component);
        return labels;
    }
}

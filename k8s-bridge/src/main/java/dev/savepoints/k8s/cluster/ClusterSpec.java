package dev.savepoints.k8s.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * What a FlinkCluster declares about its Flink cluster, with the upstream operator's defaults applied: the image,
 * the JobManager, the TaskManagers, the Flink and log configuration. Read from the resource's spec as the user
 * wrote it (the CRD keeps these parts as they are), with the Kubernetes types the operator's CRD uses for them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterSpec(String flinkVersion, Image image, Component jobManager, Component taskManager,
                          List<EnvVar> envVars, List<EnvFromSource> envFrom, String serviceAccountName,
                          Map<String, String> flinkProperties, Map<String, String> logConfig,
                          HadoopConfig hadoopConfig, GcpConfig gcpConfig) {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** The operator's default requests and limits, for a JobManager or TaskManager that declares none. */
    static final ResourceRequirements DEFAULT_RESOURCES = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
            .addToLimits("cpu", new Quantity("2")).addToLimits("memory", new Quantity("2Gi"))
            .addToRequests("cpu", new Quantity("200m")).addToRequests("memory", new Quantity("512Mi")).build();

    public ClusterSpec {
        image = image == null ? new Image(null, null, null) : image;
        jobManager = jobManager == null ? Component.NONE : jobManager;
        taskManager = taskManager == null ? Component.NONE : taskManager;
        envVars = envVars == null ? List.of() : envVars;
        envFrom = envFrom == null ? List.of() : envFrom;
        flinkProperties = flinkProperties == null ? Map.of() : flinkProperties;
        logConfig = logConfig == null ? Map.of() : logConfig;
    }

    /** {@code spec.image}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Image(String name, String pullPolicy, List<LocalObjectReference> pullSecrets) {
        public Image {
            pullPolicy = pullPolicy == null ? "Always" : pullPolicy;
            pullSecrets = pullSecrets == null ? List.of() : pullSecrets;
        }
    }

    /** {@code spec.hadoopConfig}: a ConfigMap of Hadoop configuration, mounted into every Flink container. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HadoopConfig(String configMapName, String mountPath) {
        public HadoopConfig {
            mountPath = mountPath == null ? "/etc/hadoop/conf" : mountPath;
        }
    }

    /** {@code spec.gcpConfig}: a Secret holding a GCP service account key. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GcpConfig(GcpServiceAccount serviceAccount) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GcpServiceAccount(String secretName, String keyFile, String mountPath) {
    }

    /** A port beyond Flink's own, opened on the container. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ExtraPort(String name, Integer containerPort, String protocol) {
    }

    /**
     * {@code spec.jobManager} or {@code spec.taskManager}: one shape for both (the JobManager's Service and Ingress
     * fields, the TaskManagers' deployment type), each read where it applies.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(Integer replicas, Map<String, Integer> ports, List<ExtraPort> extraPorts,
                            ResourceRequirements resources, Integer memoryProcessRatio, Integer memoryOffHeapRatio,
                            Quantity memoryOffHeapMin, List<Volume> volumes, List<VolumeMount> volumeMounts,
                            List<PersistentVolumeClaim> volumeClaimTemplates, List<Container> initContainers,
                            List<Container> sidecars, Map<String, String> nodeSelector, List<Toleration> tolerations,
                            Map<String, String> podAnnotations, Map<String, String> podLabels,
                            PodSecurityContext securityContext, Probe livenessProbe, Probe readinessProbe,
                            String accessScope, Map<String, String> serviceAnnotations,
                            Map<String, String> serviceLabels, Ingress ingress, String deploymentType) {

        static final Component NONE = new Component(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);

        public Component {
            ports = ports == null ? Map.of() : ports;
            extraPorts = extraPorts == null ? List.of() : extraPorts;
            resources = resources == null || (empty(resources.getLimits()) && empty(resources.getRequests()))
                    ? DEFAULT_RESOURCES : resources;
            volumes = volumes == null ? List.of() : volumes;
            volumeMounts = volumeMounts == null ? List.of() : volumeMounts;
            volumeClaimTemplates = volumeClaimTemplates == null ? List.of() : volumeClaimTemplates;
            initContainers = initContainers == null ? List.of() : initContainers;
            sidecars = sidecars == null ? List.of() : sidecars;
            podAnnotations = podAnnotations == null ? Map.of() : podAnnotations;
            podLabels = podLabels == null ? Map.of() : podLabels;
            serviceAnnotations = serviceAnnotations == null ? Map.of() : serviceAnnotations;
            serviceLabels = serviceLabels == null ? Map.of() : serviceLabels;
        }

        private static boolean empty(Map<?, ?> map) {
            return map == null || map.isEmpty();
        }

        /** The declared port of that name, or the operator's default. */
        public int port(String name, int defaultPort) {
            Integer port = ports.get(name);
            return port == null ? defaultPort : port;
        }

        public int replicasOr(int defaultReplicas) {
            return replicas == null ? defaultReplicas : replicas;
        }
    }

    /** {@code spec.jobManager.ingress}: an Ingress to the JobManager's web UI. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ingress(String hostFormat, Map<String, String> annotations, Boolean useTls, String tlsSecretName) {
    }

    /**
     * Reads the cluster parts of a FlinkCluster's spec (given as JSON).
     *
     * @throws IllegalArgumentException naming the part that cannot be read, e.g. {@code spec.taskManager.replicas}
     */
    public static ClusterSpec read(JsonNode spec) {
        if (spec == null || !spec.isObject()) {
            return new ClusterSpec(null, null, null, null, null, null, null, null, null, null, null);
        }
        ObjectNode parts = ((ObjectNode) spec).deepCopy();
        parts.remove("job"); // read by the bridge's translator
        try {
            return SERIALIZATION.convertValue(parts, ClusterSpec.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(reason(e), e);
        }
    }

    /** Jackson's message without its source position, naming the field path. */
    private static String reason(IllegalArgumentException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(java.util.stream.Collectors.joining());
            return "spec" + path + " cannot be read: " + mapping.getOriginalMessage().split("\n")[0];
        }
        return "spec cannot be read: " + cause.getMessage();
    }

    /** The Flink version as declared, for choices the version decides (the configuration file's name). */
    public boolean flink2OrLater() {
        if (flinkVersion == null || flinkVersion.isBlank()) {
            return false;
        }
        String major = flinkVersion.trim().split("\\.")[0];
        try {
            return Integer.parseInt(major) >= 2;
        } catch (NumberFormatException e) {
            return false;
        }
    }

}

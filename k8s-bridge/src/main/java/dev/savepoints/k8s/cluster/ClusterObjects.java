package dev.savepoints.k8s.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects a FlinkCluster's cluster consists of, in the order they are created: the ConfigMap, the JobManager
 * StatefulSet and Service (and Ingress, if declared), the TaskManagers' headless Service and StatefulSet (or
 * Deployment). Names, labels and contents as the upstream operator makes them, with two departures: a selector
 * holds only the cluster's and component's labels (so that new {@code podLabels} do not need a new object, a
 * selector being immutable), and the pods carry the configuration's hash (so that a configuration change, which
 * Flink reads only at start, restarts them).
 */
public final class ClusterObjects {

    /** On a pod template: the hash of the configuration its pods started with. */
    public static final String CONFIG_HASH = "savepoints.dev/config-hash";
    static final String FLINK_CLUSTER_API = "flinkoperator.k8s.io/v1beta1";
    /** The longest FlinkCluster name whose objects' names ({@code -job-submitter} the longest suffix) fit 63. */
    static final int MAX_NAME = 63 - "-job-submitter".length();
    private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private ClusterObjects() {
    }

    /** The objects of the cluster {@code name} (uid {@code uid}) in {@code namespace}, as {@code spec} declares it. */
    public static List<HasMetadata> desired(String namespace, String name, String uid, ClusterSpec spec) {
        if (name.length() > MAX_NAME || !DNS_LABEL.matcher(name).matches()) {
            // {name}-job-submitter must be a DNS label of at most 63 characters (a Service name, a label value)
            throw new IllegalArgumentException("metadata.name '" + name + "' cannot name a Flink cluster: its objects need "
                    + "a name of at most " + MAX_NAME + " lowercase letters, digits and '-', starting with a letter "
                    + "(or name its JobManager with the annotation savepoints.dev/jobmanager-url)");
        }
        if (spec.image().name() == null || spec.image().name().isBlank()) {
            throw new IllegalArgumentException("spec.image.name is required: the Flink image the cluster runs");
        }
        OwnerReference owner = owner(name, uid);
        List<HasMetadata> objects = new ArrayList<>();
        ConfigMap config = configMap(namespace, name, spec, owner);
        String configHash = hash(config.getData());
        objects.add(config);
        objects.add(jobManager(namespace, name, spec, owner, configHash));
        objects.add(jobManagerService(namespace, name, spec, owner));
        if (spec.jobManager().ingress() != null) {
            objects.add(ingress(namespace, name, spec, owner));
        }
        objects.add(taskManagerService(namespace, name, spec, owner));
        objects.add(taskManager(namespace, name, spec, owner, configHash));
        return objects;
    }

    /** The FlinkCluster as the controller of an object, so that deleting it deletes the object. */
    static OwnerReference owner(String name, String uid) {
        return new OwnerReferenceBuilder().withApiVersion(FLINK_CLUSTER_API).withKind("FlinkCluster")
                .withName(name).withUid(uid).withController(true).withBlockOwnerDeletion(false).build();
    }

    static ObjectMeta meta(String namespace, String name, Map<String, String> labels, OwnerReference owner) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(ClusterNames.MANAGED_BY, ClusterNames.MANAGER);
        return new ObjectMetaBuilder().withNamespace(namespace).withName(name).withLabels(all)
                .withOwnerReferences(owner).build();
    }

    static ConfigMap configMap(String namespace, String name, ClusterSpec spec, OwnerReference owner) {
        return new ConfigMapBuilder()
                .withMetadata(meta(namespace, ClusterNames.configMap(name), ClusterNames.clusterLabels(name), owner))
                .withData(FlinkConfiguration.files(name, spec))
                .build();
    }

    private static HasMetadata jobManager(String namespace, String name, ClusterSpec spec, OwnerReference owner,
                                          String configHash) {
        ClusterSpec.Component jm = spec.jobManager();
        Map<String, String> selector = ClusterNames.componentLabels(name, "jobmanager");
        return new StatefulSetBuilder()
                .withMetadata(meta(namespace, ClusterNames.jobManager(name), podLabels(selector, jm), owner))
                .withNewSpec()
                .withReplicas(jm.replicasOr(1))
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withServiceName(ClusterNames.jobManagerService(name))
                .withVolumeClaimTemplates(claims(jm.volumeClaimTemplates(), owner))
                .withTemplate(template(selector, jm, FlinkPods.jobManager(name, spec), configHash))
                .endSpec()
                .build();
    }

    private static HasMetadata taskManager(String namespace, String name, ClusterSpec spec, OwnerReference owner,
                                           String configHash) {
        ClusterSpec.Component tm = spec.taskManager();
        Map<String, String> selector = ClusterNames.componentLabels(name, "taskmanager");
        ObjectMeta meta = meta(namespace, ClusterNames.taskManager(name), podLabels(selector, tm), owner);
        PodSpec pod = FlinkPods.taskManager(name, spec);
        String type = tm.deploymentType() == null ? "StatefulSet" : tm.deploymentType();
        if ("Deployment".equals(type)) {
            // a Deployment has no claim templates: each pod gets ephemeral volumes of the same claims instead
            tm.volumeClaimTemplates().forEach(claim -> pod.getVolumes().add(new VolumeBuilder()
                    .withName(claim.getMetadata().getName()).withNewEphemeral().withNewVolumeClaimTemplate()
                    .withSpec(claim.getSpec()).endVolumeClaimTemplate().endEphemeral().build()));
            return new DeploymentBuilder().withMetadata(meta).withNewSpec()
                    .withReplicas(tm.replicasOr(3))
                    .withNewSelector().withMatchLabels(selector).endSelector()
                    .withTemplate(template(selector, tm, pod, configHash))
                    .endSpec().build();
        }
        if (!"StatefulSet".equals(type)) {
            throw new IllegalArgumentException("spec.taskManager.deploymentType must be StatefulSet or Deployment, was \""
                    + type + "\"");
        }
        return new StatefulSetBuilder().withMetadata(meta).withNewSpec()
                .withReplicas(tm.replicasOr(3))
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withServiceName(ClusterNames.taskManager(name))
                .withPodManagementPolicy("Parallel")
                .withVolumeClaimTemplates(claims(tm.volumeClaimTemplates(), owner))
                .withTemplate(template(selector, tm, pod, configHash))
                .endSpec().build();
    }

    private static Map<String, String> podLabels(Map<String, String> selector, ClusterSpec.Component component) {
        Map<String, String> labels = new LinkedHashMap<>(component.podLabels());
        labels.putAll(selector); // the selector's labels win: a pod that lost one would leave its StatefulSet
        return labels;
    }

    private static PodTemplateSpec template(Map<String, String> selector, ClusterSpec.Component component, PodSpec pod,
                                            String configHash) {
        Map<String, String> annotations = new LinkedHashMap<>(component.podAnnotations());
        annotations.put(CONFIG_HASH, configHash);
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(podLabels(selector, component))
                .withAnnotations(annotations).endMetadata().withSpec(pod).build();
    }

    private static List<PersistentVolumeClaim> claims(List<PersistentVolumeClaim> declared, OwnerReference owner) {
        return declared.stream().map(claim -> new PersistentVolumeClaimBuilder(claim).editOrNewMetadata()
                .withOwnerReferences(owner).endMetadata().build()).toList();
    }

    private static Service jobManagerService(String namespace, String name, ClusterSpec spec, OwnerReference owner) {
        ClusterSpec.Component jm = spec.jobManager();
        Map<String, String> selector = ClusterNames.componentLabels(name, "jobmanager");
        Map<String, String> labels = new LinkedHashMap<>(selector);
        labels.putAll(jm.serviceLabels());
        Map<String, String> annotations = new LinkedHashMap<>(jm.serviceAnnotations());
        String scope = jm.accessScope() == null ? "Cluster" : jm.accessScope();
        String type = switch (scope) {
            case "Cluster", "Headless" -> "ClusterIP";
            case "VPC" -> {
                annotations.put("networking.gke.io/load-balancer-type", "Internal");
                annotations.put("networking.gke.io/internal-load-balancer-allow-global-access", "true");
                yield "LoadBalancer";
            }
            case "External" -> "LoadBalancer";
            case "NodePort" -> "NodePort";
            default -> throw new IllegalArgumentException("spec.jobManager.accessScope must be one of Cluster, VPC, "
                    + "External, NodePort, Headless, was \"" + scope + "\"");
        };
        ObjectMeta meta = meta(namespace, ClusterNames.jobManagerService(name), labels, owner);
        meta.setAnnotations(annotations.isEmpty() ? null : annotations);
        return new ServiceBuilder().withMetadata(meta).withNewSpec()
                .withType(type)
                .withClusterIP("Headless".equals(scope) ? "None" : null)
                .withSelector(selector)
                .withPorts(servicePort("rpc", jm.port("rpc", Ports.JM_RPC)), servicePort("blob", jm.port("blob", Ports.JM_BLOB)),
                        servicePort("query", jm.port("query", Ports.JM_QUERY)), servicePort("ui", jm.port("ui", Ports.JM_UI)))
                .endSpec().build();
    }

    private static Service taskManagerService(String namespace, String name, ClusterSpec spec, OwnerReference owner) {
        ClusterSpec.Component tm = spec.taskManager();
        return new ServiceBuilder()
                .withMetadata(meta(namespace, ClusterNames.taskManager(name), ClusterNames.clusterLabels(name), owner))
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP("None")
                .withSelector(ClusterNames.componentLabels(name, "taskmanager"))
                .withPorts(servicePort("data", tm.port("data", Ports.TM_DATA)), servicePort("rpc", tm.port("rpc", Ports.TM_RPC)),
                        servicePort("query", tm.port("query", Ports.TM_QUERY)))
                .endSpec().build();
    }

    private static ServicePort servicePort(String name, int port) {
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(name)).build();
    }

    private static HasMetadata ingress(String namespace, String name, ClusterSpec spec, OwnerReference owner) {
        ClusterSpec.Ingress declared = spec.jobManager().ingress();
        String host = declared.hostFormat() == null ? null
                : declared.hostFormat().replaceAll("\\{\\{\\s*\\$clusterName\\s*}}", name);
        ObjectMeta meta = meta(namespace, ClusterNames.jobManager(name), ClusterNames.componentLabels(name, "jobmanager"),
                owner);
        meta.setAnnotations(declared.annotations());
        IngressBuilder ingress = new IngressBuilder().withMetadata(meta);
        var ingressSpec = ingress.withNewSpec();
        if (Boolean.TRUE.equals(declared.useTls()) && (host != null || declared.tlsSecretName() != null)) {
            ingressSpec.addNewTl().withHosts(host == null ? List.of() : List.of(host))
                    .withSecretName(declared.tlsSecretName()).endTl();
        }
        return ingressSpec.addNewRule().withHost(host).withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
                .withNewBackend().withNewService().withName(ClusterNames.jobManagerService(name))
                .withNewPort().withName("ui").endPort().endService().endBackend()
                .endPath().endHttp().endRule().endSpec().build();
    }

    /**
     * What the cluster {@code declared} is, as a short hash of its objects, but for the TaskManagers' replicas, which
     * change at once: a new revision of a running job's cluster is an upgrade.
     */
    public static String revision(List<HasMetadata> declared) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (HasMetadata object : declared) {
                var tree = ClusterSpec.SERIALIZATION.convertValue(object, com.fasterxml.jackson.databind.node.ObjectNode.class);
                if (object.getMetadata().getName().endsWith("-taskmanager") && tree.path("spec").isObject()) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("spec")).remove("replicas");
                }
                ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("metadata")).remove("annotations");
                digest.update(tree.toString().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short stable hash of a ConfigMap's data. */
    static String hash(Map<String, String> data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new java.util.TreeMap<>(data).forEach((key, value) -> {
                digest.update(key.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(value.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

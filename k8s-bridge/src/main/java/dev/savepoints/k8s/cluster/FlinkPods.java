package dev.savepoints.k8s.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The pods of a Flink cluster: the JobManager's and the TaskManagers' containers, with the configuration mounted,
 * as the upstream operator builds them (ports, probes, a preStop pause, the Hadoop and GCP mounts).
 */
final class FlinkPods {

    static final String CONFIG_VOLUME = "flink-config-volume";
    static final String CONFIG_PATH = "/opt/flink/conf";
    static final String HADOOP_VOLUME = "hadoop-config-volume";
    static final String GCP_VOLUME = "gcp-service-account-volume";
    private static final long TERMINATION_GRACE_SECONDS = 60;
    private static final int PRE_STOP_SLEEP_SECONDS = 30;
    private static final Set<String> PROBE_HANDLERS = Set.of("exec", "httpGet", "tcpSocket", "grpc");

    private FlinkPods() {
    }

    static PodSpec jobManager(String cluster, ClusterSpec spec) {
        ClusterSpec.Component jm = spec.jobManager();
        List<ContainerPort> ports = new ArrayList<>(List.of(port("rpc", jm.port("rpc", Ports.JM_RPC)),
                port("blob", jm.port("blob", Ports.JM_BLOB)), port("query", jm.port("query", Ports.JM_QUERY)),
                port("ui", jm.port("ui", Ports.JM_UI))));
        Container main = main("jobmanager", spec, jm, ports, spec.envVars(), jm.port("rpc", Ports.JM_RPC));
        return pod(cluster, spec, jm, main);
    }

    static PodSpec taskManager(String cluster, ClusterSpec spec) {
        ClusterSpec.Component tm = spec.taskManager();
        List<ContainerPort> ports = new ArrayList<>(List.of(port("data", tm.port("data", Ports.TM_DATA)),
                port("rpc", tm.port("rpc", Ports.TM_RPC)), port("query", tm.port("query", Ports.TM_QUERY))));
        List<EnvVar> env = new ArrayList<>(List.of(limit("TASK_MANAGER_CPU_LIMIT", "limits.cpu", "1m"),
                limit("TASK_MANAGER_MEMORY_LIMIT", "limits.memory", "1Mi")));
        env.addAll(spec.envVars());
        Container main = main("taskmanager", spec, tm, ports, env, tm.port("rpc", Ports.TM_RPC));
        return pod(cluster, spec, tm, main);
    }

    private static Container main(String name, ClusterSpec spec, ClusterSpec.Component component,
                                  List<ContainerPort> ports, List<EnvVar> env, int rpcPort) {
        component.extraPorts().forEach(extra -> ports.add(new ContainerPortBuilder().withName(extra.name())
                .withContainerPort(extra.containerPort()).withProtocol(extra.protocol()).build()));
        return new ContainerBuilder()
                .withName(name)
                .withImage(spec.image().name())
                .withImagePullPolicy(spec.image().pullPolicy())
                .withArgs(name)
                .withPorts(ports)
                .withLivenessProbe(probe(component.livenessProbe(), rpcPort, 60, 5))
                .withReadinessProbe(probe(component.readinessProbe(), rpcPort, 5, 60))
                .withResources(component.resources())
                .withEnv(env)
                .withEnvFrom(spec.envFrom())
                .withVolumeMounts(component.volumeMounts())
                .withNewLifecycle().withNewPreStop().withNewExec()
                .withCommand("sleep", String.valueOf(PRE_STOP_SLEEP_SECONDS))
                .endExec().endPreStop().endLifecycle()
                .build();
    }

    private static PodSpec pod(String cluster, ClusterSpec spec, ClusterSpec.Component component, Container main) {
        List<Volume> volumes = new ArrayList<>(component.volumes());
        List<VolumeMount> mounts = new ArrayList<>();
        List<EnvVar> env = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(CONFIG_VOLUME).withNewConfigMap()
                .withName(ClusterNames.configMap(cluster)).endConfigMap().build());
        mounts.add(new VolumeMountBuilder().withName(CONFIG_VOLUME).withMountPath(CONFIG_PATH).build());
        if (spec.hadoopConfig() != null) {
            volumes.add(new VolumeBuilder().withName(HADOOP_VOLUME).withNewConfigMap()
                    .withName(spec.hadoopConfig().configMapName()).endConfigMap().build());
            mounts.add(new VolumeMountBuilder().withName(HADOOP_VOLUME).withMountPath(spec.hadoopConfig().mountPath())
                    .withReadOnly(true).build());
            env.add(new EnvVarBuilder().withName("HADOOP_CONF_DIR").withValue(spec.hadoopConfig().mountPath()).build());
        }
        if (spec.gcpConfig() != null && spec.gcpConfig().serviceAccount() != null) {
            ClusterSpec.GcpServiceAccount account = spec.gcpConfig().serviceAccount();
            String path = account.mountPath() == null ? "/etc/gcp/keys/"
                    : account.mountPath().endsWith("/") ? account.mountPath() : account.mountPath() + "/";
            volumes.add(new VolumeBuilder().withName(GCP_VOLUME).withNewSecret().withSecretName(account.secretName())
                    .endSecret().build());
            mounts.add(new VolumeMountBuilder().withName(GCP_VOLUME).withMountPath(path).withReadOnly(true).build());
            env.add(new EnvVarBuilder().withName("GOOGLE_APPLICATION_CREDENTIALS")
                    .withValue(path + Objects.toString(account.keyFile(), "")).build());
        }
        List<Container> initContainers = component.initContainers().stream()
                .map(init -> withMountsAndEnv(init, mounts, concat(spec.envVars(), env))).toList();
        List<Container> containers = new ArrayList<>();
        containers.add(withMountsAndEnv(main, mounts, env));
        containers.addAll(component.sidecars());
        return new PodSpecBuilder()
                .withInitContainers(initContainers)
                .withContainers(containers)
                .withVolumes(distinct(volumes, Volume::getName))
                .withNodeSelector(component.nodeSelector())
                .withTolerations(component.tolerations())
                .withImagePullSecrets(spec.image().pullSecrets())
                .withSecurityContext(component.securityContext())
                .withServiceAccountName(spec.serviceAccountName())
                .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                .build();
    }

    /** The container with the mounts and variables it does not declare itself (by path, by name). */
    private static Container withMountsAndEnv(Container container, List<VolumeMount> mounts, List<EnvVar> env) {
        return new ContainerBuilder(container)
                .withVolumeMounts(distinct(concat(container.getVolumeMounts(), mounts), VolumeMount::getMountPath))
                .withEnv(distinct(concat(container.getEnv(), env), EnvVar::getName))
                .build();
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first == null ? List.of() : first);
        all.addAll(second);
        return all;
    }

    private static <T> List<T> distinct(List<T> items, Function<T, String> key) {
        List<String> seen = new ArrayList<>();
        List<T> kept = new ArrayList<>();
        for (T item : items) {
            if (!seen.contains(key.apply(item))) {
                seen.add(key.apply(item));
                kept.add(item);
            }
        }
        return kept;
    }

    private static ContainerPort port(String name, int port) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).build();
    }

    private static EnvVar limit(String name, String resource, String divisor) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewResourceFieldRef()
                .withContainerName("taskmanager")
                .withResource(resource).withDivisor(new Quantity(divisor))
                .endResourceFieldRef().endValueFrom().build();
    }

    /**
     * The operator's probe (a TCP check of the RPC port), with what the user declares laid over it. A user's own
     * check (exec, HTTP, TCP, gRPC) replaces the default one instead of sitting next to it, which Kubernetes refuses.
     */
    static Probe probe(Probe declared, int rpcPort, int periodSeconds, int failureThreshold) {
        Probe base = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(rpcPort)).endTcpSocket()
                .withTimeoutSeconds(10).withInitialDelaySeconds(5).withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold).build();
        if (declared == null) {
            return base;
        }
        ObjectNode merged = ClusterSpec.SERIALIZATION.convertValue(base, ObjectNode.class);
        JsonNode user = ClusterSpec.SERIALIZATION.convertValue(declared, JsonNode.class);
        if (PROBE_HANDLERS.stream().anyMatch(user::has)) {
            PROBE_HANDLERS.forEach(merged::remove);
        }
        user.properties().forEach(field -> {
            if (!field.getValue().isNull()) {
                merged.set(field.getKey(), field.getValue());
            }
        });
        return ClusterSpec.SERIALIZATION.convertValue(merged, Probe.class);
    }
}

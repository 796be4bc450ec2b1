package dev.savepoints.k8s.cluster;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The ConfigMap's files: Flink's configuration ({@code flink-conf.yaml}, or {@code config.yaml} from Flink 2.0 on)
 * and the log configuration. As the upstream operator writes them: the addresses and ports of the objects it
 * creates (which {@code flinkProperties} cannot override), the process memory from the containers' memory limits,
 * the slots, then the user's properties.
 */
final class FlinkConfiguration {

    /** Where the cluster's objects put them; set by the service, whatever {@code flinkProperties} says. */
    static final Set<String> SET_BY_THE_SERVICE = Set.of("jobmanager.rpc.address", "jobmanager.rpc.port",
            "blob.server.port", "query.server.port", "rest.port");
    static final String SLOTS = "taskmanager.numberOfTaskSlots";
    private static final int DEFAULT_MEMORY_RATIO = 80;
    private static final BigDecimal MEBIBYTE = BigDecimal.valueOf(1024 * 1024);
    private static final Pattern PLAIN_YAML = Pattern.compile("[A-Za-z0-9_./=,;@+\\-][A-Za-z0-9_./=,;@+\\- ]*");

    /** Flink's own console logging (log4j 2), as its distribution ships it, for clusters that declare none. */
    static final String DEFAULT_LOG4J = """
            rootLogger.level = INFO
            rootLogger.appenderRef.console.ref = ConsoleAppender
            logger.akka.name = akka
            logger.akka.level = INFO
            logger.pekko.name = org.apache.pekko
            logger.pekko.level = INFO
            logger.kafka.name = org.apache.kafka
            logger.kafka.level = INFO
            logger.hadoop.name = org.apache.hadoop
            logger.hadoop.level = WARN
            logger.zookeeper.name = org.apache.zookeeper
            logger.zookeeper.level = INFO
            appender.console.name = ConsoleAppender
            appender.console.type = CONSOLE
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
            logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
            logger.netty.level = OFF
            """;

    /** The file of the job submitter's script, which its container runs (see {@link JobSubmitters}). */
    static final String SUBMIT_SCRIPT = "submit-job.sh";

    /**
     * Runs {@code flink} with its arguments and leaves the outcome in the container's termination message, where the
     * service reads it: the job's id when Flink took it, else the end of what Flink said (Kubernetes keeps 4 kB).
     */
    static final String SUBMIT_SCRIPT_TEXT = """
            #!/usr/bin/env bash
            # The job submitter of the savepoint orchestrator: runs flink with the arguments it is given, its output
            # in the pod's log as it comes, and leaves the outcome in the termination message: the job id when Flink
            # took the job, else the end of its output.
            "${FLINK_HOME:-/opt/flink}/bin/flink" "$@" 2>&1 | tee "${SUBMIT_OUT:-/tmp/submit.out}"
            code=${PIPESTATUS[0]}
            if [ "$code" -eq 0 ]; then
              grep -o 'JobID [0-9a-f]\\{32\\}' "${SUBMIT_OUT:-/tmp/submit.out}" | tail -n 1 > "${TERMINATION_LOG:-/dev/termination-log}"
            else
              tail -c 3500 "${SUBMIT_OUT:-/tmp/submit.out}" > "${TERMINATION_LOG:-/dev/termination-log}"
            fi
            exit "$code"
            """;

    private FlinkConfiguration() {
    }

    /** The ConfigMap's data: file name to content. */
    static Map<String, String> files(String clusterName, ClusterSpec spec) {
        Map<String, String> files = new TreeMap<>();
        files.put("log4j-console.properties", DEFAULT_LOG4J);
        files.put("log4j-cli.properties", DEFAULT_LOG4J);
        files.putAll(spec.logConfig());
        files.put(SUBMIT_SCRIPT, SUBMIT_SCRIPT_TEXT);
        files.put(fileName(spec), text(properties(clusterName, spec), spec.flink2OrLater()));
        return files;
    }

    static String fileName(ClusterSpec spec) {
        return spec.flink2OrLater() ? "config.yaml" : "flink-conf.yaml";
    }

    static Map<String, String> properties(String clusterName, ClusterSpec spec) {
        Map<String, String> properties = new TreeMap<>();
        ClusterSpec.Component jm = spec.jobManager();
        ClusterSpec.Component tm = spec.taskManager();
        properties.put("jobmanager.rpc.address", ClusterNames.jobManagerService(clusterName));
        properties.put("jobmanager.rpc.port", String.valueOf(jm.port("rpc", Ports.JM_RPC)));
        properties.put("blob.server.port", String.valueOf(jm.port("blob", Ports.JM_BLOB)));
        properties.put("query.server.port", String.valueOf(jm.port("query", Ports.JM_QUERY)));
        properties.put("rest.port", String.valueOf(jm.port("ui", Ports.JM_UI)));
        properties.put("taskmanager.rpc.port", String.valueOf(tm.port("rpc", Ports.TM_RPC)));
        processSize(jm).ifPresent(size -> properties.put("jobmanager.memory.process.size", size));
        processSize(tm).ifPresent(size -> properties.put("taskmanager.memory.process.size", size));
        properties.put(SLOTS, String.valueOf(slots(spec)));
        spec.flinkProperties().forEach((key, value) -> {
            if (!SET_BY_THE_SERVICE.contains(key)) {
                properties.put(key, value);
            }
        });
        return properties;
    }

    /** A share ({@code memoryProcessRatio}, 80 % by default) of the container's memory limit, in whole MiB. */
    private static java.util.Optional<String> processSize(ClusterSpec.Component component) {
        Quantity limit = component.resources().getLimits() == null ? null : component.resources().getLimits().get("memory");
        if (limit == null) {
            return java.util.Optional.empty();
        }
        int ratio = component.memoryProcessRatio() == null ? DEFAULT_MEMORY_RATIO : component.memoryProcessRatio();
        BigDecimal bytes = Quantity.getAmountInBytes(limit).multiply(BigDecimal.valueOf(ratio))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING);
        long mebibytes = bytes.divide(MEBIBYTE, 0, RoundingMode.CEILING).longValueExact();
        return mebibytes > 0 ? java.util.Optional.of(mebibytes + "m") : java.util.Optional.empty();
    }

    /** The declared slots; else, as the operator does, half the TaskManager's CPU limit (rounded up), at least one. */
    static int slots(ClusterSpec spec) {
        String declared = spec.flinkProperties().get(SLOTS);
        if (declared != null) {
            try {
                return Integer.parseInt(declared.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("spec.flinkProperties." + SLOTS + " must be a whole number, was \""
                        + declared + "\"");
            }
        }
        Quantity cpu = spec.taskManager().resources().getLimits() == null ? null
                : spec.taskManager().resources().getLimits().get("cpu");
        long cores = cpu == null ? 0 : Quantity.getAmountInBytes(cpu).setScale(0, RoundingMode.CEILING).longValueExact();
        return (int) Math.max(1, cores / 2);
    }

    /**
     * One {@code key: value} line per property, sorted. Flink 2's {@code config.yaml} is read as YAML, so a value
     * that is not a plain scalar there is quoted; the older {@code flink-conf.yaml} takes values as written.
     */
    static String text(Map<String, String> properties, boolean yaml) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(properties).forEach((key, value) -> text.append(key).append(": ")
                .append(yaml && !PLAIN_YAML.matcher(value).matches() ? quoted(value) : value).append('\n'));
        return text.toString();
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

}

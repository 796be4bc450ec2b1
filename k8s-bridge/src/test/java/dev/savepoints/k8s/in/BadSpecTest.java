package dev.savepoints.k8s.in;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.k8s.model.FlinkCluster;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** What the bridge refuses before any command, and how it keeps hostile values small. */
class BadSpecTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static FlinkCluster cluster(String name, String annotations, String spec) {
        return cluster("default", name, annotations, spec);
    }

    private static FlinkCluster cluster(String namespace, String name, String annotations, String spec) {
        return SERIALIZATION.unmarshal("{\"apiVersion\":\"flinkoperator.k8s.io/v1beta1\",\"kind\":\"FlinkCluster\","
                + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\",\"annotations\":"
                + annotations + "},\"spec\":" + spec + "}", FlinkCluster.class);
    }

    @Test
    void everyUnreadableValueIsNamedWithItsPath() {
        FlinkCluster cluster = cluster("c", "{}", "{\"job\":{\"autoSavepointSeconds\":\"abc\",\"savepointFormatType\":\"ZIP\"},"
                + "\"jobManager\":{\"ports\":{\"ui\":\"http\"}}}");
        assertThat(SpecTranslator.hasJob(cluster)).isTrue();
        assertThat(SpecTranslator.unreadable(cluster)).contains("spec.job.autoSavepointSeconds must be a whole number, "
                + "was \"abc\"; spec.job.savepointFormatType must be one of [CANONICAL, NATIVE], was \"ZIP\"; "
                + "spec.jobManager.ports.ui must be a whole number, was \"http\"");
        assertThat(SpecTranslator.unreadable(cluster("c", "{}", "{\"job\":{\"savepointsDir\":\"gs://b\"}}"))).isEmpty();
    }

    @Test
    void aJobThatIsNotAnObjectIsStillAJobToReportOn() {
        FlinkCluster cluster = cluster("c", "{}", "{\"job\":\"run-it\"}");
        assertThat(SpecTranslator.hasJob(cluster)).isTrue();
        assertThat(SpecTranslator.unreadable(cluster)).contains("spec.job must be an object, was \"run-it\"");
        assertThat(SpecTranslator.hasJob(cluster("c", "{}", "{\"image\":{}}"))).isFalse();
    }

    @Test
    void namesLongerThanKubernetesAllowsAndHugeAddressesAreRefused() {
        assertThat(SpecTranslator.unreadable(cluster("n".repeat(254), "{}", "{\"job\":{}}")))
                .contains("metadata.name is longer than 253 characters");
        assertThat(SpecTranslator.unreadable(cluster("s".repeat(64), "n", "{}", "{\"job\":{}}")))
                .contains("metadata.namespace is longer than 63 characters");
        // the longest Kubernetes allows, 317 characters together, is a job like any other
        FlinkCluster longest = cluster("s".repeat(63), "n".repeat(253), "{}", "{\"job\":{}}");
        assertThat(SpecTranslator.unreadable(longest)).isEmpty();
        assertThat(SpecTranslator.jobId(longest).toString()).hasSize(317);
        assertThat(SpecTranslator.unreadable(cluster("c", "{\"savepoints.dev/jobmanager-url\":\"http://h/" + "x".repeat(5000)
                + "\"}", "{\"job\":{}}"))).contains("annotation savepoints.dev/jobmanager-url is longer than 4096 characters");
    }

    @Test
    void aLongControlValueIsShortenedForTheRecordAndItsKey() {
        String huge = "s".repeat(1 << 20);
        assertThat(FlinkClusterWatcher.controlName("savepoint")).isEqualTo("savepoint");
        assertThat(FlinkClusterWatcher.controlName(huge)).isEqualTo("s".repeat(24) + "…(1048576 characters)").hasSizeLessThan(57);
        assertThat(FlinkClusterWatcher.keyOf("job-cancel")).isEqualTo("job-cancel");
        assertThat(FlinkClusterWatcher.keyOf(huge)).hasSizeLessThan(120).isNotEqualTo(FlinkClusterWatcher.keyOf(huge + "t"));
    }
}

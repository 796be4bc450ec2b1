package dev.savepoints.k8s.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A FlinkCluster with values of the wrong type still reads: what fits is read, the rest kept and named. */
class LenientReadingTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static FlinkCluster read(String spec) {
        return SERIALIZATION.unmarshal("{\"apiVersion\":\"flinkoperator.k8s.io/v1beta1\",\"kind\":\"FlinkCluster\","
                + "\"metadata\":{\"name\":\"c\",\"namespace\":\"default\"},\"spec\":" + spec + "}", FlinkCluster.class);
    }

    @Test
    void valuesOfTheWrongTypeAreKeptAsWrittenAndNamed() {
        FlinkCluster cluster = read("""
                {"job": {"savepointsDir": "gs://b/sp", "autoSavepointSeconds": "abc", "savepointGeneration": -5,
                         "restartPolicy": "Sometimes", "savepointFormatType": "NATIVE", "args": ["--a", 1],
                         "allowNonRestoredState": "yes", "parallelism": 9223372036854775808, "cleanupPolicy": {"x": 1}},
                 "jobManager": {"ports": {"ui": 70000}}}""");
        JobSpec job = cluster.getSpec().getJob();
        assertThat(job.getSavepointsDir()).isEqualTo("gs://b/sp");
        assertThat(job.getSavepointFormatType()).isEqualTo(JobSpec.SavepointFormatType.NATIVE);
        assertThat(job.getAutoSavepointSeconds()).isNull();
        assertThat(job.unreadable()).containsOnly(
                Map.entry("autoSavepointSeconds", "must be a whole number, was \"abc\""),
                Map.entry("savepointGeneration", "must not be negative, was -5"),
                Map.entry("restartPolicy", "must be one of [Never, FromSavepointOnFailure], was \"Sometimes\""),
                Map.entry("args", "must be a list of strings (at most 1000, each at most 4096 characters), was [\"--a\",1]"),
                Map.entry("allowNonRestoredState", "must be true or false, was \"yes\""),
                Map.entry("parallelism", "must be at most 2147483647, was 9223372036854775808"));
        assertThat(job.getOtherFields()).containsEntry("autoSavepointSeconds", "abc").containsKey("cleanupPolicy");
        assertThat(cluster.getSpec().getJobManager().getPorts().unreadable())
                .containsOnly(Map.entry("ui", "must be at most 65535, was 70000"));

        // written back as it was read: the service never rewrites what the user wrote
        String json = SERIALIZATION.asJson(cluster);
        assertThat(json).contains("\"autoSavepointSeconds\":\"abc\"", "\"restartPolicy\":\"Sometimes\"", "\"ui\":70000");
    }

    @Test
    void aJobThatIsNotAnObjectIsNamedOnTheSpec() {
        FlinkCluster cluster = read("{\"job\": \"run-it\", \"image\": {\"name\": \"flink\"}}");
        assertThat(cluster.getSpec().getJob()).isNull();
        assertThat(cluster.getSpec().unreadable()).containsOnly(Map.entry("job", "must be an object, was \"run-it\""));
        assertThat(cluster.getSpec().getOtherFields()).containsEntry("job", "run-it").containsKey("image");
        assertThat(read("[1, 2]").getSpec().unreadable()).containsOnly(Map.entry("", "must be an object, was [1,2]"));
    }

    @Test
    void aListWithOneBadResourceReadsEveryResource() {
        FlinkClusterList list = SERIALIZATION.unmarshal("""
                {"apiVersion": "flinkoperator.k8s.io/v1beta1", "kind": "FlinkClusterList", "items": [
                 {"metadata": {"name": "bad"}, "spec": {"job": {"autoSavepointSeconds": [60]}}},
                 {"metadata": {"name": "good"}, "spec": {"job": {"autoSavepointSeconds": 60}}}]}""", FlinkClusterList.class);
        assertThat(list.getItems()).hasSize(2);
        assertThat(list.getItems().get(0).getSpec().getJob().unreadable()).containsKey("autoSavepointSeconds");
        assertThat(list.getItems().get(1).getSpec().getJob().getAutoSavepointSeconds()).isEqualTo(60);
        assertThat(list.getItems().get(1).getSpec().getJob().unreadable()).isEmpty();
    }

    static class FlinkClusterList extends io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList<FlinkCluster> {
    }

    @Test
    void aStatusOfTheWrongTypesWrittenBySomeoneElseIsReadAsUnreadableNotAsAFailure() {
        FlinkCluster cluster = SERIALIZATION.unmarshal("""
                {"apiVersion": "flinkoperator.k8s.io/v1beta1", "kind": "FlinkCluster",
                 "metadata": {"name": "c", "namespace": "default"},
                 "spec": {"job": {"autoSavepointSeconds": 60}},
                 "status": {"components": {"job": {"savepointGeneration": "many", "restartCount": [1]}},
                            "control": "none"}}""", FlinkCluster.class);
        assertThat(cluster.getSpec().getJob().getAutoSavepointSeconds()).isEqualTo(60);
        assertThat(cluster.getStatus().getComponents()).isNull();
        assertThat(cluster.getStatus().unreadable()).containsOnlyKeys("");

        FlinkCluster fine = SERIALIZATION.unmarshal("""
                {"apiVersion": "flinkoperator.k8s.io/v1beta1", "kind": "FlinkCluster", "metadata": {"name": "d"},
                 "status": {"components": {"job": {"savepointGeneration": 3, "state": "Running"}},
                            "extra": {"kept": true}}}""", FlinkCluster.class);
        assertThat(fine.getStatus().unreadable()).isEmpty();
        assertThat(fine.getStatus().getComponents().getJob().getSavepointGeneration()).isEqualTo(3L);
        assertThat(fine.getStatus().getOtherFields()).containsKey("extra");
    }
}

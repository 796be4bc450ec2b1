package dev.savepoints.k8s.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FlinkCluster model and its generated CRD: manifests written for the upstream operator (the user's guide)
 * apply unchanged and keep every field, and the CRD has the status subresource, validation and printer columns.
 */
@EnableKubernetesMockClient(crud = true)
class FlinkClusterModelTest {

    static final Path CRD = Path.of("..", "deploy", "crds", "flinkclusters.flinkoperator.k8s.io-v1.yml");

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void loadTheCrd() throws Exception {
        try (InputStream crd = Files.newInputStream(CRD)) {
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
    }

    private static FlinkCluster guideManifest() throws Exception {
        try (InputStream yaml = FlinkClusterModelTest.class.getResourceAsStream("/guide/flinkjobcluster_sample.yaml")) {
            return Serialization.unmarshal(yaml, FlinkCluster.class);
        }
    }

    @Test
    void theGuidesManifestReadsIntoTheModel() throws Exception {
        FlinkCluster cluster = guideManifest();
        JobSpec job = cluster.getSpec().getJob();
        assertThat(job.getSavepointsDir()).isEqualTo("gs://my-bucket/savepoints/");
        assertThat(job.getAutoSavepointSeconds()).isEqualTo(300);
        assertThat(job.getSavepointGeneration()).isEqualTo(3);
        assertThat(job.getFromSavepoint()).isEqualTo("gs://my-bucket/savepoints/savepoint-123");
        assertThat(job.getAllowNonRestoredState()).isFalse();
        assertThat(job.getRestartPolicy()).isEqualTo(JobSpec.RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
        assertThat(job.getArgs()).containsExactly("--input", "./README.txt");
        assertThat(cluster.getSpec().getJobManager().getPorts().getUi()).isEqualTo(8081);
        assertThat(cluster.getMetadata().getAnnotations())
                .containsEntry("flinkclusters.flinkoperator.k8s.io/user-control", "savepoint");
    }

    @Test
    void theManifestAppliesUnchangedAndKeepsTheFieldsThisServiceDoesNotUse() throws Exception {
        client.resources(FlinkCluster.class).inNamespace("default").resource(guideManifest()).create();

        FlinkCluster stored = client.resources(FlinkCluster.class).inNamespace("default")
                .withName("flinkjobcluster-sample").get();
        assertThat(stored.getSpec().getOtherFields()).containsKeys("image", "taskManager", "flinkProperties");
        assertThat(stored.getSpec().getJob().getOtherFields()).containsKey("cleanupPolicy");
        assertThat(stored.getSpec().getJobManager().getOtherFields()).containsKeys("accessScope", "resources");
        Map<String, Object> asJson = client.getKubernetesSerialization().convertValue(stored, Map.class);
        assertThat(asJson).extractingByKey("spec").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("image", "taskManager", "flinkProperties", "job", "jobManager");
    }

    @Test
    void theStatusIsWrittenThroughItsSubresourceWithTheGuidesFieldNames() throws Exception {
        var resources = client.resources(FlinkCluster.class).inNamespace("default");
        FlinkCluster created = resources.resource(guideManifest()).create();
        FlinkClusterStatus status = new FlinkClusterStatus();
        FlinkClusterStatus.Job job = new FlinkClusterStatus.Job();
        job.setId("c0c55ce62eba6ab41b6bb9288ef79c12");
        job.setState("Running");
        job.setSavepointGeneration(3L);
        job.setSavepointLocation("gs://my-bucket/savepoints/savepoint-c0c55c-75ed63ba63b2");
        job.setLastSavepointTriggerId("21db90b88ce7a6e201032d9f764cdd64");
        job.setLastSavepointTime("2019-11-20T02:10:19Z");
        FlinkClusterStatus.Components components = new FlinkClusterStatus.Components();
        components.setJob(job);
        status.setComponents(components);
        FlinkClusterStatus.ControlDetails details = new FlinkClusterStatus.ControlDetails();
        details.setJobId("e689263060695231f62fa8b00f97b383");
        details.setSavepointTriggerId("240c9340399d84d2bb7bfb63ff516167");
        FlinkClusterStatus.Control control = new FlinkClusterStatus.Control();
        control.setName("savepoint");
        control.setState("Succeeded");
        control.setDetails(details);
        status.setControl(control);
        created.setStatus(status);
        resources.resource(created).updateStatus();

        FlinkCluster stored = resources.withName("flinkjobcluster-sample").get();
        String yaml = client.getKubernetesSerialization().asYaml(stored.getStatus());
        assertThat(yaml).contains("lastSavepointTriggerID: \"21db90b88ce7a6e201032d9f764cdd64\"")
                .contains("savepointGeneration: 3")
                .contains("jobID: \"e689263060695231f62fa8b00f97b383\"")
                .contains("savepointTriggerID: \"240c9340399d84d2bb7bfb63ff516167\"");

        // A later apply of the spec leaves the status alone.
        stored.getSpec().getJob().setSavepointGeneration(4);
        stored.setStatus(null);
        resources.resource(stored).update();
        assertThat(resources.withName("flinkjobcluster-sample").get().getStatus().getComponents().getJob()
                .getSavepointGeneration()).isEqualTo(3L);
    }

    @Test
    void theCrdHasTheStatusSubresourceValidationAndPrinterColumns() {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .withName("flinkclusters.flinkoperator.k8s.io").get();
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("fc");
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        assertThat(version.getName()).isEqualTo("v1beta1");
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(version.getAdditionalPrinterColumns()).extracting(c -> c.getJsonPath()).contains(
                ".status.components.job.state", ".status.components.job.savepointGeneration",
                ".status.components.job.lastSavepointTime");

        JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertThat(spec.getXKubernetesPreserveUnknownFields()).isTrue();
        JSONSchemaProps job = spec.getProperties().get("job");
        assertThat(job.getXKubernetesPreserveUnknownFields()).isTrue();
        assertThat(job.getProperties().get("restartPolicy").getEnum()).extracting(Object::toString)
                .containsExactlyInAnyOrder("\"Never\"", "\"FromSavepointOnFailure\"");
        for (String field : List.of("autoSavepointSeconds", "savepointGeneration", "maxStateAgeToRestoreSeconds")) {
            assertThat(job.getProperties().get(field).getMinimum()).as(field).isEqualTo(0.0);
        }
        assertThat(job.getProperties().get("parallelism").getMinimum()).isEqualTo(1.0);
    }
}

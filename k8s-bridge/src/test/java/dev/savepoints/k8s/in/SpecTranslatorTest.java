package dev.savepoints.k8s.in;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.Source;
import dev.savepoints.k8s.model.FlinkCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpecTranslatorTest {

    /** As a real API server returns it after kubectl apply, then kubectl annotate. */
    private static final String APPLIED = """
            apiVersion: flinkoperator.k8s.io/v1beta1
            kind: FlinkCluster
            metadata:
              name: flinkjobcluster-sample
              namespace: default
              uid: 0b5e3a8e-0000-4000-8000-000000000001
              annotations:
                flinkclusters.flinkoperator.k8s.io/user-control: savepoint
              managedFields:
              - manager: kubectl-client-side-apply
                operation: Update
                apiVersion: flinkoperator.k8s.io/v1beta1
                time: "2019-11-20T01:00:00Z"
                fieldsType: FieldsV1
                fieldsV1:
                  f:spec:
                    f:job:
                      f:savepointGeneration: {}
              - manager: kubectl-annotate
                operation: Update
                apiVersion: flinkoperator.k8s.io/v1beta1
                time: "2019-11-20T02:10:00Z"
                fieldsType: FieldsV1
                fieldsV1:
                  f:metadata:
                    f:annotations:
                      f:flinkclusters.flinkoperator.k8s.io/user-control: {}
            spec:
              jobManager:
                ports:
                  ui: 8082
              job:
                jarFile: /opt/flink/job.jar
                className: org.example.Job
                args: ["--x", "1"]
                parallelism: 2
                savepointsDir: gs://my-bucket/savepoints/
                autoSavepointSeconds: 300
                restartPolicy: FromSavepointOnFailure
                savepointFormatType: NATIVE
                maxStateAgeToRestoreSeconds: 3600
                allowNonRestoredState: true
            """;

    private static FlinkCluster applied() {
        return Serialization.unmarshal(APPLIED, FlinkCluster.class);
    }

    @Test
    void theActorsAreTheFieldManagersWithTheirTimes() {
        assertThat(SpecTranslator.specActor(applied())).isEqualTo(new RequestedBy("kubectl-client-side-apply",
                Source.KUBERNETES_SPEC, Instant.parse("2019-11-20T01:00:00Z")));
        assertThat(SpecTranslator.annotationActor(applied())).isEqualTo(new RequestedBy("kubectl-annotate",
                Source.KUBERNETES_ANNOTATION, Instant.parse("2019-11-20T02:10:00Z")));
        assertThat(SpecTranslator.control(applied())).contains("savepoint");
    }

    @Test
    void theJobSpecBecomesTheJobsSettings() {
        JobSettings settings = SpecTranslator.settings(applied());
        assertThat(settings.savepointsDir()).isEqualTo("gs://my-bucket/savepoints/");
        assertThat(settings.autoSavepointSeconds()).isEqualTo(300);
        assertThat(settings.restartPolicy()).isEqualTo(RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
        assertThat(settings.savepointFormatType()).isEqualTo(SavepointFormatType.NATIVE);
        assertThat(settings.maxStateAgeToRestoreSeconds()).isEqualTo(3600);
        assertThat(settings.allowNonRestoredState()).isTrue();
        assertThat(settings.artifact().jarFile()).isEqualTo("/opt/flink/job.jar");
        assertThat(settings.artifact().args()).containsExactly("--x", "1");
        assertThat(settings.artifact().parallelism()).isEqualTo(2);
        // ui port 8082: the JobManager Service on that port
        assertThat(settings.jobManagerUrl()).isEqualTo("http://flinkjobcluster-sample-jobmanager.default.svc:8082");
    }

    @Test
    void withoutManagedFieldsTheActorIsUnknownAndTheDefaultPortNeedsNoAddress() {
        FlinkCluster cluster = applied();
        cluster.getMetadata().setManagedFields(null);
        cluster.getSpec().getJobManager().getPorts().setUi(8081);
        assertThat(SpecTranslator.specActor(cluster)).isEqualTo(new RequestedBy(null, Source.KUBERNETES_SPEC, null));
        assertThat(SpecTranslator.specActor(cluster).actor()).isEqualTo("unknown");
        assertThat(SpecTranslator.settings(cluster).jobManagerUrl()).isNull();
        cluster.getMetadata().getAnnotations().put(SpecTranslator.JOBMANAGER_URL_ANNOTATION, "http://10.0.0.7:8081");
        assertThat(SpecTranslator.settings(cluster).jobManagerUrl()).isEqualTo("http://10.0.0.7:8081");
    }
}

package dev.savepoints.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a real API server does to an object the service writes, and whether the drift check takes it for a change:
 * defaults added, quantities rewritten, false/0/"" dropped are no difference; an edit of a field the service sets is.
 */
class DriftTest {

    private static StatefulSet declaredJobManager() throws Exception {
        List<HasMetadata> objects = ClusterProvisioner.declared(ClusterObjectsTest.sample("flinksessioncluster-sample"));
        return (StatefulSet) objects.get(1);
    }

    /** The object as a real API server returns it: defaults, canonical quantities, empty values gone. */
    private static StatefulSet asServed(StatefulSet declared, String hash) {
        StatefulSet served = ClusterSpec.SERIALIZATION.clone(declared);
        served.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(Drift.DECLARED_HASH, hash)));
        served.getMetadata().setResourceVersion("42");
        served.getSpec().setRevisionHistoryLimit(10);
        var container = served.getSpec().getTemplate().getSpec().getContainers().get(0);
        container.setTerminationMessagePath("/dev/termination-log");
        container.getPorts().forEach(port -> port.setProtocol("TCP"));
        container.getResources().getLimits().put("memory", new io.fabric8.kubernetes.api.model.Quantity("2Gi"));
        container.getLivenessProbe().setSuccessThreshold(1);
        served.getSpec().getTemplate().getSpec().setDnsPolicy("ClusterFirst");
        return served;
    }

    @Test
    void whatTheApiServerAddsOrRewritesIsNoDifference() throws Exception {
        StatefulSet declared = declaredJobManager();
        String hash = Drift.hash(declared);
        assertThat(Drift.difference(declared, hash, asServed(declared, hash))).isNull();
    }

    @Test
    void falseZeroAndEmptyValuesTheApiServerDropsAreNoDifference() throws Exception {
        StatefulSet declared = declaredJobManager();
        declared.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().get(0).setReadOnly(false);
        declared.getSpec().getTemplate().getSpec().getContainers().get(0).getLivenessProbe().setInitialDelaySeconds(0);
        String hash = Drift.hash(declared);
        StatefulSet served = asServed(declared, hash);
        served.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().get(0).setReadOnly(null);
        served.getSpec().getTemplate().getSpec().getContainers().get(0).getLivenessProbe().setInitialDelaySeconds(null);
        assertThat(Drift.difference(declared, hash, served)).isNull();
    }

    @Test
    void anEditOfAFieldTheServiceSetsIsADifferenceAndSoIsANewDeclaration() throws Exception {
        StatefulSet declared = declaredJobManager();
        String hash = Drift.hash(declared);
        StatefulSet edited = asServed(declared, hash);
        edited.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("flink:evil");
        assertThat(Drift.difference(declared, hash, edited)).isEqualTo("spec.template.spec.containers[0].image");
        StatefulSet halved = asServed(declared, hash);
        halved.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits()
                .put("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"));
        assertThat(Drift.difference(declared, hash, halved)).contains("limits.memory");
        assertThat(Drift.difference(declared, "another-hash", asServed(declared, hash))).isEqualTo(Drift.DECLARATION_CHANGED);
    }
}

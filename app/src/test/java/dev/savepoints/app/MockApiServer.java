package dev.savepoints.app;

import dev.savepoints.k8s.model.FlinkCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/** fabric8's mock API server in CRUD mode with the generated FlinkCluster CRD loaded, and kubectl's verbs on it. */
public final class MockApiServer implements AutoCloseable {

    public static final Path CRD = Path.of("..", "deploy", "crds", "flinkclusters.flinkoperator.k8s.io-v1.yml");

    private final KubernetesMockServer server;
    public final KubernetesClient kubectl;

    public MockApiServer() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        kubectl = server.createClient();
        try (InputStream crd = Files.newInputStream(CRD)) {
            kubectl.resource(kubectl.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
    }

    public String masterUrl() {
        return kubectl.getConfiguration().getMasterUrl();
    }

    public Resource<FlinkCluster> cluster(String namespace, String name) {
        return kubectl.resources(FlinkCluster.class).inNamespace(namespace).withName(name);
    }

    /** As {@code kubectl annotate} and {@code kubectl patch} do: a merge patch, no resource version to conflict on. */
    public void mergePatch(String namespace, String name, String json) {
        cluster(namespace, name).patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    /** The next request the server received, in order; null when none is left. */
    io.fabric8.mockwebserver.http.RecordedRequest takeRequest() throws InterruptedException {
        return server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public List<Event> eventsOf(String namespace, String name) {
        return kubectl.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    @Override
    public void close() {
        kubectl.close();
        server.destroy();
    }
}

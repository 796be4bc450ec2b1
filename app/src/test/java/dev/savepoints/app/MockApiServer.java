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
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * fabric8's mock API server in CRUD mode with the generated FlinkCluster CRD loaded, and kubectl's verbs on it; the
 * StatefulSets and Deployments the service creates on it get the status of ready pods ({@link PodsReadyDouble}).
 */
public final class MockApiServer implements AutoCloseable {

    public static final Path CRD = Path.of("..", "deploy", "crds", "flinkclusters.flinkoperator.k8s.io-v1.yml");

    private final KubernetesMockServer server;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final FaultingDispatcher dispatcher = new FaultingDispatcher();
    /** Every write (any method but GET) the service sent, as "METHOD path", in order. */
    private final List<String> serviceWrites = new CopyOnWriteArrayList<>();
    public final KubernetesClient kubectl;
    final PodsReadyDouble pods;

    public MockApiServer() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init();
        kubectl = server.createClient();
        try (InputStream crd = Files.newInputStream(CRD)) {
            kubectl.resource(kubectl.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
        pods = new PodsReadyDouble(kubectl);
    }

    /**
     * The next {@code times} writes (any method but GET) to a path ending with {@code pathSuffix} are answered with
     * {@code code} and a Kubernetes Status, as a real API server answers a write that lost a race (409) or that it
     * cannot take now (5xx); the mock never does on its own. Returns the count of requests so refused.
     */
    public AtomicInteger refuseNextWrites(int times, String pathSuffix, int code) {
        AtomicInteger refused = new AtomicInteger();
        faults.add(new Fault(request -> !"GET".equals(request.getMethod()) && path(request).endsWith(pathSuffix)
                && refused.getAndUpdate(n -> n < times ? n + 1 : n) < times, code));
        return refused;
    }

    /**
     * A kill point: runs {@code action} on the first request matching {@code match}, which is then not served (the
     * write never lands; its sender was killed by the action). Returns whether it has run.
     */
    public java.util.function.BooleanSupplier onceInstead(Predicate<RecordedRequest> match, Runnable action) {
        java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        faults.add(new Fault(request -> {
            if (!fired.get() && match.test(request) && fired.compareAndSet(false, true)) {
                action.run();
                done.set(true);
                return true;
            }
            return false;
        }, 503));
        return done::get;
    }

    /**
     * Closes every open watch, as an API server does when it restarts or a watch times out; returns how many. The
     * mock offers no way to, so its open watches are reached by reflection (a fault injected, nothing else).
     */
    public int dropWatches() throws ReflectiveOperationException {
        java.lang.reflect.Field listeners = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
        listeners.setAccessible(true);
        int dropped = 0;
        for (Object listener : List.copyOf((java.util.Set<?>) listeners.get(dispatcher))) {
            java.lang.reflect.Field socket = listener.getClass().getDeclaredField("webSocketRef");
            socket.setAccessible(true);
            Object webSocket = ((java.util.concurrent.atomic.AtomicReference<?>) socket.get(listener)).get();
            if (webSocket instanceof io.fabric8.mockwebserver.http.WebSocket open && open.close(1001, "dropped by the test")) {
                dropped++;
            }
        }
        return dropped;
    }

    private static String path(RecordedRequest request) {
        String path = request.getPath();
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    private record Fault(Predicate<RecordedRequest> applies, int code) {
    }

    private final class FaultingDispatcher extends KubernetesCrudDispatcher {

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String agent = request.getHeader("User-Agent");
            if (!"GET".equals(request.getMethod()) && agent != null
                    && agent.startsWith(dev.savepoints.k8s.K8sBridgeConfiguration.USER_AGENT)) {
                serviceWrites.add(request.getMethod() + " " + path(request));
            }
            for (Fault fault : faults) {
                if (fault.applies().test(request)) {
                    return new MockResponse().setResponseCode(fault.code()).addHeader("Content-Type", "application/json")
                            .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
                                    + fault.code() + ",\"reason\":\"" + (fault.code() == 409 ? "Conflict" : "InternalError")
                                    + "\",\"message\":\"refused by the test\"}");
                }
            }
            try {
                return super.dispatch(request);
            } catch (RuntimeException e) {
                // e.g. a JSON patch whose "test" fails: the mock throws and never answers, a real API server says 422
                return new MockResponse().setResponseCode(422).addHeader("Content-Type", "application/json")
                        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":422,"
                                + "\"reason\":\"Invalid\",\"message\":\"the request is invalid\"}");
            }
        }
    }

    /** The writes the service sent to paths starting with {@code pathPrefix} so far, as "METHOD path". */
    public List<String> serviceWritesTo(String pathPrefix) {
        return serviceWrites.stream().filter(write -> write.substring(write.indexOf(' ') + 1).startsWith(pathPrefix)).toList();
    }

    public String masterUrl() {
        return kubectl.getConfiguration().getMasterUrl();
    }

    public Resource<FlinkCluster> cluster(String namespace, String name) {
        return kubectl.resources(FlinkCluster.class).inNamespace(namespace).withName(name);
    }

    /** As {@code kubectl annotate} and {@code kubectl patch} do: a merge patch, no resource version to conflict on. */
    /**
     * kubectl edit: read, change, write, again when the resource changed in between (the service writes its status
     * meanwhile; an edit over a stale version is refused with 409, as a real API server refuses it).
     */
    public void edit(String namespace, String name, java.util.function.UnaryOperator<FlinkCluster> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                cluster(namespace, name).edit(change);
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    public void mergePatch(String namespace, String name, String json) {
        cluster(namespace, name).patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    /** The next request the server received, in order; null when none is left. */
    RecordedRequest takeRequest() throws InterruptedException {
        return server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * As {@code kubectl annotate} on a real API server: the annotation set, and the managedFields entry the server
     * records for it (manager, time to the second), which the mock does not write by itself.
     */
    public void annotate(String namespace, String name, String key, String value, String manager) {
        annotate(namespace, name, key, value, manager, java.time.Instant.now());
    }

    /** As {@link #annotate(String, String, String, String, String)}, as the API server records it at {@code at}. */
    public void annotate(String namespace, String name, String key, String value, String manager, java.time.Instant at) {
        String now = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        mergePatch(namespace, name, "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"},"
                + "\"managedFields\":[{\"manager\":\"" + manager + "\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
                + "\"time\":\"" + now + "\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:annotations\":{"
                + "\"f:" + key + "\":{}}}}}]}}");
    }

    public List<Event> eventsOf(String namespace, String name) {
        return kubectl.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    @Override
    public void close() {
        pods.close();
        kubectl.close();
        server.destroy();
    }
}

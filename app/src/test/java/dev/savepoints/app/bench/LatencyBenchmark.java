package dev.savepoints.app.bench;

import static org.awaitility.Awaitility.await;

import dev.savepoints.app.FlinkClusters;
import dev.savepoints.app.FlinkJobs;
import dev.savepoints.app.FlinkTap;
import dev.savepoints.app.MockApiServer;
import dev.savepoints.app.ServiceInstance;
import dev.savepoints.app.bench.BenchmarkReport.Stats;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.flink.rest.FlinkRestClient;
import dev.savepoints.flink.rest.JarRun;
import dev.savepoints.flink.rest.SavepointStatus;
import dev.savepoints.flink.test.FlinkTestCluster;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.model.JobSpec;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Latency against the limit, on a real Flink: a CR change (annotation, generation bump) to the service's trigger call
 * at the JobManager, Flink's first COMPLETED answer to the CR status showing the savepoint, and the whole round trip
 * next to a direct trigger-and-poll of the same kind of savepoint over Flink's REST API, in the same run.
 */
final class LatencyBenchmark {

    private static final String NS = "default";
    private static final String CONTROL = "flinkclusters.flinkoperator.k8s.io/user-control";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How often the direct baseline asks Flink: as often as a client reasonably would. */
    private static final long DIRECT_POLL_MS = 10;

    /** One savepoint through the service, in nanoTime. */
    /** One savepoint through the service; {@code clusterWrites} and {@code events} are its writes to the API server. */
    private record Round(long changed, long triggerCalled, long flinkSaidCompleted, long statusShown, int clusterWrites,
                         int events) {
        double toTrigger() {
            return (triggerCalled - changed) / 1e6;
        }

        double completedToStatus() {
            return (statusShown - flinkSaidCompleted) / 1e6;
        }

        double roundTrip() {
            return (statusShown - changed) / 1e6;
        }
    }

    private LatencyBenchmark() {
    }

    static void run(BenchmarkReport report) throws Exception {
        int rounds = Integer.getInteger("bench.latency.rounds", 30);
        String[] extra = System.getProperty("bench.latency.properties", "").isBlank() ? new String[0]
                : System.getProperty("bench.latency.properties").split(",");
        report.section("Latency against the limit (real Flink)");
        Path work = Files.createTempDirectory("latency-bench");
        List<String> properties = new ArrayList<>(List.of(
                "savepoints.k8s.enabled=true",
                // the service's own defaults (application.yml), not the quicker ones of the tests
                "db-scheduler.polling-interval=" + ServiceInstance.SERVICE_DEFAULT));
        properties.addAll(List.of(extra));
        try (FlinkTestCluster flink = FlinkTestCluster.start();
             FlinkTap tap = new FlinkTap(flink.restAddress());
             MockApiServer api = new MockApiServer()) {
            properties.add("savepoints.k8s.master-url=" + api.masterUrl());
            properties.add("savepoints.flink.job-manager-url-template=" + tap.address());
            report.line("Service settings on top of its defaults: `" + String.join("`, `", properties.subList(1, properties.size())
                    .stream().filter(p -> !p.contains("url") && !p.contains(ServiceInstance.SERVICE_DEFAULT)).toList()) + "`.");
            FlinkRestClient direct = flink.restClient();
            try (ServiceInstance ignored = ServiceInstance.start(PostgresTestDatabase.newDatabase("latency_bench"),
                    properties.toArray(String[]::new))) {
                for (String ballast : System.getProperty("bench.latency.ballast-mb", "0,64").split(",")) {
                    measure(report, api, tap, direct, work, rounds, Integer.parseInt(ballast.trim()));
                }
            }
        }
    }

    private static void measure(BenchmarkReport report, MockApiServer api, FlinkTap tap, FlinkRestClient direct, Path work,
                                int rounds, int ballastMb) throws Exception {
        FlinkCluster cluster = apply(api, "latency-" + ballastMb, work, ballastMb);
        String baselineJob = startUnmanaged(direct, work, ballastMb);
        List<Round> annotation = new ArrayList<>();
        List<Round> generation = new ArrayList<>();
        List<Double> baseline = new ArrayList<>();
        try (StatusWatch watch = new StatusWatch(api, cluster.getMetadata().getName())) {
            await().atMost(WAIT).until(() -> "Running".equals(watch.job().getState()));
            for (int i = 0; i < rounds + 2; i++) { // the first two warm up
                Round byAnnotation = throughService(api, tap, watch, "{\"metadata\":{\"annotations\":{\"" + CONTROL + "\":\"savepoint\"}}}");
                long next = watch.generation() + 1;
                Round byGeneration = throughService(api, tap, watch, "{\"spec\":{\"job\":{\"savepointGeneration\":" + next + "}}}");
                double directMs = directly(direct, baselineJob, work);
                if (i >= 2) {
                    annotation.add(byAnnotation);
                    generation.add(byGeneration);
                    baseline.add(directMs);
                }
            }
            direct.cancel(baselineJob);
            direct.cancel(watch.job().getId());
        }
        report.line("");
        report.line("**Job state " + (ballastMb == 0 ? "a few bytes" : ballastMb + " MiB") + "** (" + rounds
                + " savepoints per kind, after two to warm up):");
        report.line("");
        write(report, annotation, generation, baseline);
    }

    private static void write(BenchmarkReport report, List<Round> annotation, List<Round> generation, List<Double> baseline) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("annotation → Flink trigger call", annotation.stream().map(Round::toTrigger).toList(), "p99 < 200 ms"));
        rows.add(row("generation bump → Flink trigger call", generation.stream().map(Round::toTrigger).toList(), "p99 < 200 ms"));
        List<Double> completed = new ArrayList<>(annotation.stream().map(Round::completedToStatus).toList());
        completed.addAll(generation.stream().map(Round::completedToStatus).toList());
        rows.add(row("Flink says COMPLETED → CR status shows it", completed, "p99 < 300 ms"));
        List<Double> roundTrips = new ArrayList<>(annotation.stream().map(Round::roundTrip).toList());
        roundTrips.addAll(generation.stream().map(Round::roundTrip).toList());
        rows.add(row("round trip through the service (CR change → CR status)", roundTrips, ""));
        rows.add(row("direct: trigger and poll every " + DIRECT_POLL_MS + " ms over Flink's REST API", baseline, "the limit"));
        report.table(List.of("measure", "count", "p50", "p99", "max", "target"), rows);
        Stats service = Stats.ofMillis(roundTrips);
        Stats limit = Stats.ofMillis(baseline);
        report.line(String.format(java.util.Locale.ROOT, "Round trip over the direct baseline: %.2f× at p50, %.2f× at p99 (target ≤ 1.25×).",
                service.p50() / limit.p50(), service.p99() / limit.p99()));
        report.line("");
        report.table(List.of("writes to the API server per savepoint", "FlinkCluster (status, annotation): min", "max",
                "target", "Kubernetes Events: min", "max"), List.of(
                writes("annotation savepoint", annotation, "≤ 2"), writes("generation bump", generation, "≤ 1")));
    }

    private static List<String> writes(String name, List<Round> rounds, String target) {
        IntSummaryStatistics cluster = rounds.stream().mapToInt(Round::clusterWrites).summaryStatistics();
        IntSummaryStatistics events = rounds.stream().mapToInt(Round::events).summaryStatistics();
        return List.of(name, Integer.toString(cluster.getMin()), Integer.toString(cluster.getMax()), target,
                Integer.toString(events.getMin()), Integer.toString(events.getMax()));
    }

    private static List<String> row(String name, List<Double> millis, String target) {
        List<String> row = new ArrayList<>(List.of(name));
        row.addAll(Stats.ofMillis(millis).cells());
        row.add(target);
        return row;
    }

    private static Round throughService(MockApiServer api, FlinkTap tap, StatusWatch watch, String patch) {
        long expected = watch.generation() + 1;
        int callsBefore = tap.calls().size();
        String clusterPath = "/apis/flinkoperator.k8s.io/v1beta1/namespaces/" + NS + "/flinkclusters/" + watch.name;
        String eventsPath = "/api/v1/namespaces/" + NS + "/events";
        int clusterWritesBefore = api.serviceWritesTo(clusterPath).size();
        int eventsBefore = api.serviceWritesTo(eventsPath).size();
        long changed = System.nanoTime();
        api.mergePatch(NS, watch.name, patch);
        long shown = await().atMost(WAIT).until(() -> watch.firstSeen(expected), seen -> seen > 0);
        // the control ends with the annotation removed; the next change must not find it still there
        await().atMost(WAIT).until(() -> watch.annotationGone() && "Running".equals(watch.job().getState()));
        List<FlinkTap.Call> all = List.copyOf(tap.calls()); // the observer keeps calling meanwhile
        List<FlinkTap.Call> calls = all.subList(callsBefore, all.size());
        FlinkTap.Call trigger = calls.stream().filter(c -> c.method().equals("POST") && c.path().endsWith("/savepoints"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no trigger call seen"));
        FlinkTap.Call completed = calls.stream().filter(c -> c.method().equals("GET") && c.path().contains("/savepoints/")
                && c.body().contains("COMPLETED")).findFirst().orElseThrow(() -> new IllegalStateException("no COMPLETED seen"));
        return new Round(changed, trigger.nanos(), completed.nanos(), shown,
                api.serviceWritesTo(clusterPath).size() - clusterWritesBefore, api.serviceWritesTo(eventsPath).size() - eventsBefore);
    }

    private static double directly(FlinkRestClient flink, String flinkJobId, Path work) throws InterruptedException {
        long start = System.nanoTime();
        String trigger = flink.triggerSavepoint(flinkJobId, work.resolve("direct").toUri().toString(), "CANONICAL", null);
        while (flink.savepointStatus(flinkJobId, trigger).state() != SavepointStatus.State.COMPLETED) {
            Thread.sleep(DIRECT_POLL_MS);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static FlinkCluster apply(MockApiServer api, String name, Path work, int ballastMb) {
        JobSpec job = new JobSpec();
        job.setJarFile(FlinkTestCluster.countingJobJar().toString());
        job.setClassName(FlinkJobs.COUNTING_JOB);
        job.setArgs(List.of("--out", work.resolve(name + "-count").toString(), "--delay-ms", "10",
                "--ballast-mb", Integer.toString(ballastMb)));
        job.setParallelism(1);
        job.setSavepointsDir(work.resolve("savepoints").toUri().toString());
        return api.kubectl.resource(FlinkClusters.manifest(NS, name, job)).create();
    }

    /** The same job, run on the same Flink without the service: the baseline's savepoints. */
    private static String startUnmanaged(FlinkRestClient flink, Path work, int ballastMb) {
        String jar = flink.uploadJar(FlinkTestCluster.countingJobJar(), "baseline.jar").id();
        String id = flink.runJar(jar, new JarRun(FlinkJobs.COUNTING_JOB, List.of("--out", work.resolve("baseline-count").toString(),
                "--delay-ms", "10", "--ballast-mb", Integer.toString(ballastMb)), 1, null, null, false));
        await().atMost(WAIT).until(() -> flink.job(id).tasksRunning());
        return id;
    }

    /** The CR as a watch delivers it, with the time each savepoint generation was first seen. */
    private static final class StatusWatch implements Watcher<FlinkCluster>, AutoCloseable {

        private final String name;
        private final Watch watch;
        private final List<long[]> generations = new CopyOnWriteArrayList<>();
        private volatile FlinkCluster last;

        StatusWatch(MockApiServer api, String name) {
            this.name = name;
            this.last = api.cluster(NS, name).get();
            this.watch = api.cluster(NS, name).watch(this);
        }

        @Override
        public void eventReceived(Action action, FlinkCluster resource) {
            long now = System.nanoTime();
            last = resource;
            FlinkClusterStatus.Job job = job();
            if (job != null && job.getSavepointGeneration() != null) {
                generations.add(new long[] {job.getSavepointGeneration(), now});
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }

        FlinkClusterStatus.Job job() {
            FlinkCluster cluster = last;
            return cluster == null || cluster.getStatus() == null || cluster.getStatus().getComponents() == null
                    ? new FlinkClusterStatus.Job() : cluster.getStatus().getComponents().getJob();
        }

        long generation() {
            Long generation = job().getSavepointGeneration();
            return generation == null ? 0 : generation;
        }

        long firstSeen(long generation) {
            return generations.stream().filter(g -> g[0] >= generation).mapToLong(g -> g[1]).findFirst().orElse(0);
        }

        boolean annotationGone() {
            FlinkCluster cluster = last;
            return cluster.getMetadata().getAnnotations() == null || !cluster.getMetadata().getAnnotations().containsKey(CONTROL);
        }

        @Override
        public void close() {
            watch.close();
        }
    }
}

package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.savepoints.command.api.CompleteSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.RecordJobSubmitted;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.db.test.PostgresTestDatabase;
import dev.savepoints.k8s.model.FlinkCluster;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import dev.savepoints.k8s.model.JobSpec;
import dev.savepoints.k8s.out.ClusterStatusPatcher;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kubectl's side of the service, on fabric8's mock API server in CRUD mode (CRD loaded) and a real PostgreSQL:
 * FlinkCluster changes become decisions, and decisions come back as status, Events and a removed annotation.
 * Flink's facts are sent as the gateway would send them (the gateway is tested on a real Flink elsewhere).
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class KubernetesBridgeIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CONTROL = "flinkclusters.flinkoperator.k8s.io/user-control";

    private static MockApiServer apiServer;
    private static KubernetesClient kubectl;
    private static PostgresTestDatabase.Database database;
    private static StoredEvents events;
    private static ServiceInstance service;

    @BeforeAll
    static void start() throws Exception {
        apiServer = new MockApiServer();
        kubectl = apiServer.kubectl;
        database = PostgresTestDatabase.newDatabase("k8s_bridge");
        events = new StoredEvents(database);
        service = ServiceInstance.start(database,
                "savepoints.k8s.enabled=true",
                "savepoints.k8s.master-url=" + apiServer.masterUrl(),
                "savepoints.flink.job-manager-url-template=http://127.0.0.1:1",
                // the test plays Flink: the observer, finding no JobManager there, must not mark the jobs Unknown
                "savepoints.flink.unreachable-after-rounds=1000");
    }

    /**
     * Every call the service made to the API server in this class is allowed by deploy/rbac.yaml, and every rule
     * there is used: RBAC can neither lag behind the code nor grant more than it needs. Runs after the others.
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void theServicesCallsAreExactlyWhatItsRbacAllows() throws Exception {
        RbacRules rbac = new RbacRules(kubectl, Path.of("..", "deploy", "rbac.yaml"));
        java.util.Set<RbacRules.Call> calls = new java.util.LinkedHashSet<>();
        for (var request = apiServer.takeRequest(); request != null; request = apiServer.takeRequest()) {
            String agent = request.getHeader("User-Agent");
            if (agent != null && agent.startsWith(dev.savepoints.k8s.K8sBridgeConfiguration.USER_AGENT)) {
                RbacRules.Call call = RbacRules.call(request);
                calls.add(new RbacRules.Call(call.group(), call.resource(), call.verb(), ""));
            }
        }
        assertThat(calls).as("calls the service made").isNotEmpty();
        assertThat(calls).allSatisfy(call -> assertThat(rbac.allows(call)).as(call.toString()).isTrue());
        for (var rule : rbac.rules()) {
            for (String resource : rule.getResources()) {
                for (String verb : rule.getVerbs()) {
                    assertThat(calls).as("granted but never used: " + verb + " " + resource)
                            .anyMatch(call -> call.resource().equals(resource) && call.verb().equals(verb));
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        service.close();
        apiServer.close();
    }

    private static Resource<FlinkCluster> cluster(String name) {
        return apiServer.cluster("default", name);
    }

    private static FlinkCluster manifest(String name, Integer autoSavepointSeconds) {
        JobSpec job = FlinkClusters.savepointsTo("gs://my-bucket/savepoints/");
        job.setAutoSavepointSeconds(autoSavepointSeconds);
        FlinkCluster cluster = FlinkClusters.manifest("default", name, job);
        cluster.getSpec().setOtherField("image", Map.of("name", "flink:1.8.2"));
        return cluster;
    }

    private static FlinkCluster awaitCluster(String name, Predicate<FlinkCluster> condition) {
        return await().atMost(WAIT).until(() -> cluster(name).get(), c -> c != null && condition.test(c));
    }

    private static FlinkClusterStatus.Job job(FlinkCluster cluster) {
        return cluster.getStatus() == null || cluster.getStatus().getComponents() == null ? null
                : cluster.getStatus().getComponents().getJob();
    }

    private static List<Event> eventsOf(String name) {
        return apiServer.eventsOf("default", name);
    }

    private static void mergePatch(String name, String json) {
        apiServer.mergePatch("default", name, json);
    }

    private static void annotate(String name, String value) {
        mergePatch(name, "{\"metadata\":{\"annotations\":{\"" + CONTROL + "\":\"" + value + "\"}}}");
    }

    private static void runningOnFlink(JobId job, String flinkJobId) {
        await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "JobRegistered").isEmpty());
        service.commands().sendAndWait(new RecordJobSubmitted(job, flinkJobId));
        service.commands().sendAndWait(new ReportJobState(job, flinkJobId, JobState.RUNNING, null));
    }

    /**
     * A jar in the Flink image is submitted by a submitter Job ({@link SubmitterDouble} plays its pod: here it
     * only reports, the test plays Flink); a submission that failed is replaced by the next one, once the spec is
     * corrected. The end-to-end path on a real Flink is JobSubmitterIntegrationTest's.
     */
    @Test
    void aJarInTheImageGoesThroughASubmitterJobThatTheNextSubmissionReplaces() {
        JobId job = JobId.of("default", "submitted");
        try (SubmitterDouble submitters = new SubmitterDouble(kubectl, run -> run.jar().endsWith("missing.jar")
                ? new SubmitterDouble.Outcome(1, "Could not build the program from JAR file: JAR file does not exist")
                : SubmitterDouble.Outcome.submitted(run.flinkJobId()))) {
            FlinkCluster cluster = manifest(job.name(), null);
            cluster.getSpec().getJob().setJarFile("/opt/flink/usrlib/missing.jar");
            cluster.getSpec().getJob().setClassName("org.example.Job");
            kubectl.resource(cluster).create();
            FlinkCluster failed = awaitCluster(job.name(), c -> job(c) != null && job(c).getFailureReasons() != null);
            assertThat(job(failed).getFailureReasons().get(0)).contains("JAR file does not exist");

            mergePatch(job.name(), "{\"spec\":{\"job\":{\"jarFile\":\"/opt/flink/usrlib/job.jar\"}}}");
            await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "JobSubmitted").isEmpty());
            assertThat(submitters.runs).filteredOn(run -> run.jobName().equals("submitted-job-submitter"))
                    .extracting(SubmitterDouble.Run::jar)
                    .containsExactly("/opt/flink/usrlib/missing.jar", "/opt/flink/usrlib/job.jar");
            String submitted = events.ofType(job.toString(), "JobSubmitted").get(0).payload().path("flinkJobId").asText();
            assertThat(submitters.runs.get(1).flinkJobId()).isEqualTo(submitted);
            assertThat(kubectl.batch().v1().jobs().inNamespace("default").withName("submitted-job-submitter").get()
                    .getMetadata().getLabels()).containsEntry(dev.savepoints.k8s.cluster.JobSubmitters.FLINK_JOB_ID, submitted);
        }
    }

    /**
     * The status of a job's Flink cluster follows its objects' own status (here written by {@link PodsReadyDouble},
     * then by the test): the components, and {@code status.state} Running once each is ready, Reconciling when the
     * TaskManagers lose a pod; the query side's status (REST and SQL) has the same counts.
     */
    @Test
    void theStatusShowsTheClustersObjectsAsTheirOwnStatusTellsIt() {
        JobId job = JobId.of("default", "components");
        FlinkCluster cluster = manifest(job.name(), null);
        cluster.getSpec().setOtherField("taskManager", new java.util.HashMap<>(Map.of("replicas", 2)));
        kubectl.resource(cluster).create();
        runningOnFlink(job, "4b3baab583d4370f8bc006fa132af594");
        FlinkCluster running = awaitCluster(job.name(), c -> c.getStatus() != null && "Running".equals(c.getStatus().getState())
                && c.getStatus().getComponents().getTaskManager() != null);
        var components = running.getStatus().getComponents();
        assertThat(components.getConfigMap().getName()).isEqualTo("components-configmap");
        assertThat(components.getConfigMap().getState()).isEqualTo("Ready");
        assertThat(components.getJobManagerService().getState()).isEqualTo("Ready");
        assertThat(components.getJobManager().getName()).isEqualTo("components-jobmanager");
        assertThat(components.getJobManager().getReady()).isEqualTo("1/1");
        assertThat(components.getTaskManager().getReady()).isEqualTo("2/2");
        assertThat(job(running).getState()).isEqualTo("Running");

        apiServer.pods.pause(true);
        try {
            var taskManagers = kubectl.apps().statefulSets().inNamespace("default").withName("components-taskmanager").get();
            taskManagers.getStatus().setReadyReplicas(1);
            kubectl.resource(taskManagers).updateStatus();
            FlinkCluster reconciling = awaitCluster(job.name(), c -> "Reconciling".equals(c.getStatus().getState()));
            assertThat(reconciling.getStatus().getComponents().getTaskManager().getState()).isEqualTo("NotReady");
            assertThat(reconciling.getStatus().getComponents().getTaskManager().getReady()).isEqualTo("1/2");
            assertThat(job(reconciling).getState()).as("the job's own state is Flink's").isEqualTo("Running");
            var view = await().atMost(WAIT).until(() -> service.bean(dev.savepoints.query.status.JobStatusRepository.class)
                    .findFirstByJobIdOrderByIncarnationDesc(job.toString()).orElseThrow().view(),
                    v -> "Reconciling".equals(v.clusterState()));
            assertThat(view.taskManagerReplicas()).isEqualTo(2);
            assertThat(view.taskManagerReadyReplicas()).isEqualTo(1);
            assertThat(view.jobManagerReadyReplicas()).isEqualTo(1);

            taskManagers = kubectl.apps().statefulSets().inNamespace("default").withName("components-taskmanager").get();
            taskManagers.getStatus().setReadyReplicas(2); // the pod is back
            kubectl.resource(taskManagers).updateStatus();
            awaitCluster(job.name(), c -> "Running".equals(c.getStatus().getState())
                    && "2/2".equals(c.getStatus().getComponents().getTaskManager().getReady()));
        } finally {
            apiServer.pods.pause(false);
        }
    }

    /**
     * A FlinkCluster that names no JobManager gets its Flink cluster, and a change of its declaration rewrites each
     * object it touches: the configuration (and the pods that read it), the JobManager's Service, its Ingress, the
     * TaskManagers' Deployment.
     */
    @Test
    void aFlinkClusterGetsItsFlinkClusterAndAChangedDeclarationRewritesItsObjects() {
        String name = "provisioned";
        FlinkCluster cluster = manifest(name, null);
        cluster.getSpec().setOtherField("taskManager", new java.util.HashMap<>(Map.of("deploymentType", "Deployment",
                "replicas", 2)));
        cluster.getSpec().setJobManager(new dev.savepoints.k8s.model.JobManagerSpec());
        cluster.getSpec().getJobManager().setOtherField("ingress", Map.of("hostFormat", "{{$clusterName}}.flink.example.com"));
        kubectl.resource(cluster).create();
        var deployment = await().atMost(WAIT).until(() -> kubectl.apps().deployments().inNamespace("default")
                .withName(name + "-taskmanager").get(), java.util.Objects::nonNull);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        var ingress = await().atMost(WAIT).until(() -> kubectl.network().v1().ingresses().inNamespace("default")
                .withName(name + "-jobmanager").get(), java.util.Objects::nonNull);
        assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("provisioned.flink.example.com");
        String configHash = deployment.getSpec().getTemplate().getMetadata().getAnnotations()
                .get(dev.savepoints.k8s.cluster.ClusterObjects.CONFIG_HASH);

        mergePatch(name, "{\"spec\":{\"flinkProperties\":{\"state.backend.type\":\"rocksdb\"},"
                + "\"jobManager\":{\"serviceLabels\":{\"team\":\"streaming\"},"
                + "\"ingress\":{\"hostFormat\":\"{{$clusterName}}.flink.example.org\"}}}}");

        await().atMost(WAIT).until(() -> kubectl.configMaps().inNamespace("default").withName(name + "-configmap").get()
                .getData().get("flink-conf.yaml").contains("state.backend.type: rocksdb\n"));
        await().atMost(WAIT).until(() -> "streaming".equals(kubectl.services().inNamespace("default")
                .withName(name + "-jobmanager").get().getMetadata().getLabels().get("team")));
        await().atMost(WAIT).until(() -> "provisioned.flink.example.org".equals(kubectl.network().v1().ingresses()
                .inNamespace("default").withName(name + "-jobmanager").get().getSpec().getRules().get(0).getHost()));
        await().atMost(WAIT).until(() -> !configHash.equals(kubectl.apps().deployments().inNamespace("default")
                .withName(name + "-taskmanager").get().getSpec().getTemplate().getMetadata().getAnnotations()
                .get(dev.savepoints.k8s.cluster.ClusterObjects.CONFIG_HASH)));
        await().atMost(WAIT).until(() -> !configHash.equals(kubectl.apps().statefulSets().inNamespace("default")
                .withName(name + "-jobmanager").get().getSpec().getTemplate().getMetadata().getAnnotations()
                .get(dev.savepoints.k8s.cluster.ClusterObjects.CONFIG_HASH)));

        // what is no longer declared goes: the Ingress, the TaskManagers' Deployment after a switch, and back
        apiServer.edit("default", name, c -> {
            c.getSpec().getJobManager().getOtherFields().remove("ingress");
            taskManager(c).put("deploymentType", "StatefulSet");
            return c;
        });
        await().atMost(WAIT).until(() -> kubectl.network().v1().ingresses().inNamespace("default")
                .withName(name + "-jobmanager").get() == null);
        await().atMost(WAIT).until(() -> kubectl.apps().deployments().inNamespace("default")
                .withName(name + "-taskmanager").get() == null);
        assertThat(kubectl.apps().statefulSets().inNamespace("default").withName(name + "-taskmanager").get()).isNotNull();
        apiServer.edit("default", name, c -> {
            taskManager(c).put("deploymentType", "Deployment");
            return c;
        });
        await().atMost(WAIT).until(() -> kubectl.apps().statefulSets().inNamespace("default")
                .withName(name + "-taskmanager").get() == null);
        assertThat(kubectl.apps().deployments().inNamespace("default").withName(name + "-taskmanager").get()).isNotNull();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> taskManager(FlinkCluster cluster) {
        return (Map<String, Object>) cluster.getSpec().getOtherFields().get("taskManager");
    }

    @Test
    void theSavepointAnnotationEndsWithTheControlSucceededItsDetailsAndTheAnnotationGone() {
        JobId job = JobId.of("default", "flinkjobcluster-sample");
        kubectl.resource(manifest(job.name(), null)).create();
        runningOnFlink(job, "c0c55ce62eba6ab41b6bb9288ef79c12");
        FlinkCluster running = awaitCluster(job.name(), c -> job(c) != null && "Running".equals(job(c).getState()));
        assertThat(job(running).getId()).isEqualTo("c0c55ce62eba6ab41b6bb9288ef79c12");
        assertThat(job(running).getName()).isEqualTo("flinkjobcluster-sample-job");
        assertThat(running.getSpec().getOtherFields()).containsKey("image");

        annotate(job.name(), "savepoint");
        FlinkCluster progressing = awaitCluster(job.name(), c -> c.getStatus().getSavepoint() != null
                && c.getStatus().getSavepoint().getTriggerId() != null);
        String triggerId = progressing.getStatus().getSavepoint().getTriggerId();
        assertThat(progressing.getStatus().getSavepoint().getTriggerReason()).isEqualTo("user requested");

        // What the gateway reports once Flink has written the savepoint.
        service.commands().sendAndWait(new CompleteSavepoint(job, triggerId,
                "gs://my-bucket/savepoints/savepoint-c0c55c-75ed63ba63b2"));

        FlinkCluster done = awaitCluster(job.name(), c -> c.getStatus().getControl() != null
                && "Succeeded".equals(c.getStatus().getControl().getState())
                && (c.getMetadata().getAnnotations() == null || !c.getMetadata().getAnnotations().containsKey(CONTROL)));
        assertThat(done.getStatus().getControl().getName()).isEqualTo("savepoint");
        assertThat(done.getStatus().getControl().getDetails().getJobId()).isEqualTo("c0c55ce62eba6ab41b6bb9288ef79c12");
        assertThat(done.getStatus().getControl().getDetails().getSavepointTriggerId()).isEqualTo(triggerId);
        assertThat(job(done).getSavepointGeneration()).isEqualTo(1L);
        assertThat(job(done).getSavepointLocation()).isEqualTo("gs://my-bucket/savepoints/savepoint-c0c55c-75ed63ba63b2");
        assertThat(job(done).getLastSavepointTriggerId()).isEqualTo(triggerId);
        assertThat(job(done).getLastSavepointTime()).isNotBlank();
        await().atMost(WAIT).until(() -> eventsOf(job.name()).stream().map(Event::getReason).toList()
                .containsAll(List.of("ControlRequested", "SavepointTriggered", "SavepointCreated", "ControlSucceeded")));

        // Resyncs and later edits do not take a second savepoint for the same annotation: the bridge takes changes in
        // order, so once a resource created after the edit is registered, the edit was taken too.
        mergePatch(job.name(), "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
        kubectl.resource(manifest("after-the-edit", null)).create();
        await().atMost(WAIT).until(() -> !events.ofType("default/after-the-edit", "JobRegistered").isEmpty());
        assertThat(events.ofType(job.toString(), "SavepointTriggered")).hasSize(1);
    }

    @Test
    void theSameAnnotationSetAgainWithinTheSameSecondIsANewRequest() {
        JobId job = JobId.of("default", "same-second");
        kubectl.resource(manifest(job.name(), null)).create();
        runningOnFlink(job, "0000000000000000000000000000abc2");
        java.time.Instant second = java.time.Instant.now(); // managedFields keep the time to the second: both look alike
        for (int n = 1; n <= 2; n++) {
            apiServer.annotate("default", job.name(), CONTROL, "savepoint", "kubectl-annotate", second);
            int count = n;
            String triggerId = await().atMost(WAIT).until(() -> events.ofType(job.toString(), "SavepointTriggered"),
                    triggered -> triggered.size() == count).get(count - 1).payload().path("triggerId").asText();
            service.commands().sendAndWait(new CompleteSavepoint(job, triggerId, "gs://bucket/savepoints/sp-" + n));
            awaitCluster(job.name(), c -> c.getStatus().getControl() != null
                    && "Succeeded".equals(c.getStatus().getControl().getState())
                    && (c.getMetadata().getAnnotations() == null || !c.getMetadata().getAnnotations().containsKey(CONTROL)));
        }
        assertThat(events.ofType(job.toString(), "ControlRequested")).hasSize(2);
        // a resync afterwards shows no annotation: nothing more is asked
        mergePatch(job.name(), "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
        kubectl.resource(manifest("after-same-second", null)).create();
        await().atMost(WAIT).until(() -> !events.ofType("default/after-same-second", "JobRegistered").isEmpty());
        assertThat(events.ofType(job.toString(), "SavepointTriggered")).hasSize(2);
    }

    @Test
    void rejectedRequestsShowWhyInTheStatusAndAsWarningEvents() {
        JobId job = JobId.of("default", "rejections");
        kubectl.resource(manifest(job.name(), null)).create();
        runningOnFlink(job, "00000000000000000000000000000abc");

        annotate(job.name(), "restart");
        FlinkCluster rejected = awaitCluster(job.name(), c -> c.getStatus() != null && c.getStatus().getControl() != null
                && "Failed".equals(c.getStatus().getControl().getState()));
        assertThat(rejected.getStatus().getControl().getName()).isEqualTo("restart");
        assertThat(rejected.getStatus().getControl().getMessage())
                .isEqualTo("unknown control 'restart'; expected savepoint or job-cancel");
        awaitCluster(job.name(), c -> c.getMetadata().getAnnotations() == null
                || !c.getMetadata().getAnnotations().containsKey(CONTROL));

        mergePatch(job.name(), "{\"spec\":{\"job\":{\"savepointGeneration\":5}}}");
        FlinkCluster jump = awaitCluster(job.name(), c -> c.getStatus().getSavepoint() != null
                && "TriggerFailed".equals(c.getStatus().getSavepoint().getState()));
        assertThat(jump.getStatus().getSavepoint().getMessage())
                .isEqualTo("savepointGeneration may only be set to status + 1 (1), was 5");

        mergePatch(job.name(), "{\"spec\":{\"job\":{\"autoSavepointSeconds\":-10}}}");
        FlinkCluster badSpec = awaitCluster(job.name(), c -> "update".equals(c.getStatus().getControl().getName()));
        assertThat(badSpec.getStatus().getControl().getMessage()).isEqualTo("autoSavepointSeconds must not be negative, was -10");

        await().atMost(WAIT).until(() -> eventsOf(job.name()).stream().filter(e -> "Warning".equals(e.getType()))
                .map(Event::getReason).toList().containsAll(List.of("ControlRejected", "SavepointRejected", "SpecRejected")));
        String uid = cluster(job.name()).get().getMetadata().getUid();
        assertThat(eventsOf(job.name())).as("kubectl describe lists the Events of the object with this uid")
                .allSatisfy(event -> assertThat(event.getInvolvedObject().getUid()).isEqualTo(uid));
    }

    @Test
    void aGenerationAskedForBeforeTheJobRunsWaitsAndIsTakenOnceItDoes() {
        JobId job = JobId.of("default", "early-bump");
        FlinkCluster manifest = manifest(job.name(), null);
        manifest.getSpec().getJob().setSavepointGeneration(1);
        kubectl.resource(manifest).create();

        FlinkCluster waiting = awaitCluster(job.name(), c -> c.getStatus() != null && c.getStatus().getSavepoint() != null
                && "Waiting".equals(c.getStatus().getSavepoint().getState()));
        assertThat(waiting.getStatus().getSavepoint().getTriggerReason()).isEqualTo("user requested");
        assertThat(waiting.getStatus().getSavepoint().getMessage()).isEqualTo("the job is not running (state Pending)");
        assertThat(events.ofType(job.toString(), "SavepointRejected")).isEmpty();

        runningOnFlink(job, "00000000000000000000000000000e01");
        await().atMost(WAIT).until(() -> events.ofType(job.toString(), "SavepointTriggered").size() == 1);
        assertThat(events.ofType(job.toString(), "SavepointTriggered").get(0).payload().path("reason").asText())
                .isEqualTo("GENERATION_BUMP");
        // the bridge asks again on every change and resync: the one request is taken once
        mergePatch(job.name(), "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
        kubectl.resource(manifest("after-the-early-bump", null)).create();
        await().atMost(WAIT).until(() -> !events.ofType("default/after-the-early-bump", "JobRegistered").isEmpty());
        assertThat(events.ofType(job.toString(), "SavepointTriggered")).hasSize(1);
    }

    @Test
    void aJobThatCannotBeSubmittedShowsFailedWithTheCause() {
        JobId job = JobId.of("default", "unsubmittable");
        FlinkCluster manifest = manifest(job.name(), null);
        manifest.getSpec().getJob().setJarFile("/nowhere/counter.jar");
        manifest.getSpec().getJob().setClassName("org.example.Counter");
        manifest.getSpec().getOtherFields().remove("image"); // no cluster created: the service uploads the jar itself
        kubectl.resource(manifest).create();

        FlinkCluster failed = awaitCluster(job.name(), c -> job(c) != null && "Failed".equals(job(c).getState()));
        assertThat(job(failed).getFailureReasons()).singleElement().asString().contains("/nowhere/counter.jar");
        await().atMost(WAIT).until(() -> eventsOf(job.name()).stream()
                .anyMatch(e -> "Warning".equals(e.getType()) && "JobSubmissionFailed".equals(e.getReason())));
    }

    @Test
    void statusWritesRefusedWithConflictsAreWrittenAgainUntilTheyLand() {
        JobId job = JobId.of("default", "contested-status");
        // more conflicts in a row than one write tries (5): the status writer's event is then handled again later
        var refused = apiServer.refuseNextWrites(7, "/flinkclusters/" + job.name() + "/status", 409);
        kubectl.resource(manifest(job.name(), null)).create();
        runningOnFlink(job, "0000000000000000000000000000c409");

        FlinkCluster running = awaitCluster(job.name(), c -> job(c) != null && "Running".equals(job(c).getState()));
        assertThat(refused).as("status writes answered 409").hasValue(7);
        assertThat(job(running).getId()).isEqualTo("0000000000000000000000000000c409");
    }

    @Test
    void aFlinkClusterDeletedWhileItsSavepointRunsLeavesTheStatusWriterGoingAndTheHistoryWhole() {
        JobId job = JobId.of("default", "deleted-mid-savepoint");
        kubectl.resource(manifest(job.name(), null)).create();
        runningOnFlink(job, "0000000000000000000000000000de1e");
        awaitCluster(job.name(), c -> job(c) != null && "Running".equals(job(c).getState()));
        annotate(job.name(), "savepoint");
        FlinkCluster progressing = awaitCluster(job.name(), c -> c.getStatus().getSavepoint() != null
                && c.getStatus().getSavepoint().getTriggerId() != null);
        String triggerId = progressing.getStatus().getSavepoint().getTriggerId();

        cluster(job.name()).delete();
        await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "JobDeregistered").isEmpty());
        // Flink finishes the savepoint after all: it is recorded, and writing it to a resource that is gone is no error
        service.commands().sendAndWait(new CompleteSavepoint(job, triggerId, "gs://my-bucket/savepoints/savepoint-de1e-1"));
        assertThat(events.ofType(job.toString(), "SavepointCompleted")).singleElement()
                .satisfies(e -> assertThat(e.payload().path("triggerId").asText()).isEqualTo(triggerId));

        JobId next = JobId.of("default", "after-the-deletion");
        kubectl.resource(manifest(next.name(), null)).create();
        runningOnFlink(next, "0000000000000000000000000000de1f");
        awaitCluster(next.name(), c -> job(c) != null && "Running".equals(job(c).getState()));
        assertThat(cluster(job.name()).get()).as("not recreated by a status write").isNull();
    }

    @Test
    void aStatusMeantForAnEarlierFlinkClusterOfTheSameNameNeverLandsOnTheNewOne() {
        JobId job = JobId.of("default", "re-created");
        kubectl.resource(manifest(job.name(), null)).create();
        String earlier = awaitCluster(job.name(), c -> job(c) != null).getMetadata().getUid();
        cluster(job.name()).delete();
        await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "JobDeregistered").isEmpty());
        kubectl.resource(manifest(job.name(), null)).create();
        FlinkCluster later = awaitCluster(job.name(), c -> job(c) != null && !earlier.equals(c.getMetadata().getUid()));

        // as a status writer lagging behind would write: the earlier resource's status, by name
        FlinkClusterStatus stale = new FlinkClusterStatus();
        FlinkClusterStatus.Control control = new FlinkClusterStatus.Control();
        control.setName("savepoint");
        control.setState("Failed");
        stale.setControl(control);
        ClusterStatusPatcher patcher = service.bean(ClusterStatusPatcher.class);
        assertThat(patcher.writeStatus(job, earlier, stale)).isEqualTo(ClusterStatusPatcher.Outcome.GONE);
        patcher.removeControlAnnotation(job, earlier);

        FlinkCluster now = cluster(job.name()).get();
        assertThat(now.getMetadata().getUid()).isEqualTo(later.getMetadata().getUid());
        assertThat(now.getStatus().getControl()).as("the earlier resource's status is not written").isNull();
        assertThat(job(now).getState()).isEqualTo("Pending");
    }

    @Test
    void aStatusOfTheWrongTypesWrittenBySomeoneElseStopsNothingAndIsWrittenAnew() {
        JobId job = JobId.of("default", "scribbled-status");
        kubectl.resource(manifest(job.name(), null)).create();
        awaitCluster(job.name(), c -> job(c) != null);
        cluster(job.name()).subresource("status").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"status\":{\"components\":{\"job\":{\"savepointGeneration\":\"many\"}}}}");

        // the informer goes on: a resource created after the scribble is registered, and the next change of this job
        // writes its status whole again
        kubectl.resource(manifest("after-the-scribble", null)).create();
        await().atMost(WAIT).until(() -> !events.ofType("default/after-the-scribble", "JobRegistered").isEmpty());
        runningOnFlink(job, "0000000000000000000000000000bad5");
        FlinkCluster rewritten = awaitCluster(job.name(), c -> c.getStatus().unreadable().isEmpty() && job(c) != null
                && "Running".equals(job(c).getState()));
        assertThat(job(rewritten).getSavepointGeneration()).isZero();
    }

    @Test
    void aDroppedWatchIsResumedAndWhatChangedMeanwhileIsTaken() throws Exception {
        kubectl.resource(manifest("before-the-drop", null)).create();
        await().atMost(WAIT).until(() -> !events.ofType("default/before-the-drop", "JobRegistered").isEmpty());

        assertThat(apiServer.dropWatches()).as("open watches closed").isPositive();
        kubectl.resource(manifest("during-the-drop", null)).create();

        await().atMost(WAIT).until(() -> !events.ofType("default/during-the-drop", "JobRegistered").isEmpty());
        kubectl.resource(manifest("after-the-drop", null)).create();
        await().atMost(WAIT).until(() -> !events.ofType("default/after-the-drop", "JobRegistered").isEmpty());
    }

    @Test
    void aDeletedFlinkClusterIsDeregistered() {
        JobId job = JobId.of("default", "short-lived");
        kubectl.resource(manifest(job.name(), null)).create();
        await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "JobRegistered").isEmpty());
        cluster(job.name()).delete();
        await().atMost(WAIT).until(() -> !events.ofType(job.toString(), "JobDeregistered").isEmpty());
    }
}

package dev.savepoints.k8s.out;

import dev.savepoints.command.api.ClusterComponent;
import dev.savepoints.command.api.ClusterComponents;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.status.ComponentState;
import dev.savepoints.command.api.status.ControlStatus;
import dev.savepoints.command.api.status.JobManagerStatus;
import dev.savepoints.command.api.status.JobStatus;
import dev.savepoints.command.api.status.LatestSavepoint;
import dev.savepoints.command.api.status.SavepointRequest;
import dev.savepoints.k8s.model.FlinkClusterStatus;
import java.time.Instant;
import java.util.List;

/** A job's {@link JobStatus} as the FlinkCluster's {@code status}: the CR's field names, the status's words. */
public final class StatusRendering {

    /** The condition that says whether the JobManager answers; {@code kubectl wait --for=condition=…} can use it. */
    static final String JOB_MANAGER_REACHABLE = "JobManagerReachable";

    private StatusRendering() {
    }

    static FlinkClusterStatus render(JobId id, JobStatus model) {
        FlinkClusterStatus status = new FlinkClusterStatus();
        if (model.incarnation() > 0 && model.clusterState() != null) {
            status.setState(model.clusterState().word());
        }
        if (model.incarnation() > 0) { // a resource refused before it registered has only its refusal to show
            status.setComponents(new FlinkClusterStatus.Components());
            status.getComponents().setJob(job(id, model));
        }
        JobManagerStatus jobManager = model.jobManager();
        if (status.getComponents() != null) {
            components(status.getComponents(), model.components(), jobManager, model.jobManagerState());
        }
        if (jobManager != null && status.getComponents() != null) {
            status.setConditions(List.of(reachability(jobManager)));
        }
        if (model.savepoint() != null) {
            status.setSavepoint(savepoint(model.savepoint()));
        }
        if (model.control() != null) {
            status.setControl(control(model.control()));
        }
        return status;
    }

    /**
     * The objects of the Flink cluster the service created (none when {@code observed} is null) and the JobManager
     * in {@code jobManagerState} ({@link JobStatus#jobManagerState()}), with why its REST API does not answer
     * ({@code reachability}, null when not known).
     */
    public static void components(FlinkClusterStatus.Components components, ClusterComponents observed,
                                  JobManagerStatus reachability, ComponentState jobManagerState) {
        if (observed != null) {
            components.setConfigMap(component(observed.configMap(), new FlinkClusterStatus.Component()));
            components.setJobManagerService(component(observed.jobManagerService(), new FlinkClusterStatus.Component()));
            components.setTaskManager(component(observed.taskManager(), new FlinkClusterStatus.Pods()));
        }
        ClusterComponent pods = observed == null ? null : observed.jobManager();
        if (pods == null && reachability == null) {
            return;
        }
        FlinkClusterStatus.JobManager jobManager = component(pods, new FlinkClusterStatus.JobManager());
        if (jobManager == null) {
            jobManager = new FlinkClusterStatus.JobManager();
        }
        jobManager.setState(jobManagerState == null ? null : jobManagerState.word());
        jobManager.setMessage(reachability == null ? null : reachability.message());
        components.setJobManager(jobManager);
    }

    private static <T extends FlinkClusterStatus.Component> T component(ClusterComponent observed, T component) {
        if (observed == null) {
            return null;
        }
        component.setName(observed.name());
        component.setState(observed.state().word());
        if (component instanceof FlinkClusterStatus.Pods pods && observed.replicas() != null) {
            pods.setReplicas(observed.replicas());
            pods.setReadyReplicas(observed.readyReplicas());
            pods.setReady(observed.readyReplicas() + "/" + observed.replicas());
        }
        return component;
    }

    private static FlinkClusterStatus.Job job(JobId id, JobStatus model) {
        FlinkClusterStatus.Job job = new FlinkClusterStatus.Job();
        job.setName(id.name() + "-job");
        job.setId(model.flinkJobId());
        job.setState(model.shownState().statusValue());
        job.setSavepointGeneration(model.savepointGeneration());
        LatestSavepoint latest = model.latestSavepoint();
        if (latest != null) {
            job.setSavepointLocation(latest.location());
            job.setLastSavepointTriggerId(latest.triggerId());
            job.setLastSavepointTime(text(latest.completedAt()));
        }
        job.setFromSavepoint(model.fromSavepoint());
        job.setRestartCount(model.restartCount() == 0 ? null : model.restartCount());
        job.setFailureReasons(model.failureReasons().isEmpty() ? null : model.failureReasons());
        job.setFinalSavepoint(model.finalSavepoint() ? Boolean.TRUE : null);
        job.setDeployTime(text(model.times().deployTime()));
        job.setStartTime(text(model.times().startTime()));
        job.setCompletionTime(text(model.times().completionTime()));
        return job;
    }

    private static FlinkClusterStatus.Condition reachability(JobManagerStatus jobManager) {
        FlinkClusterStatus.Condition condition = new FlinkClusterStatus.Condition();
        condition.setType(JOB_MANAGER_REACHABLE);
        condition.setStatus(jobManager.reachable() ? "True" : "False");
        condition.setReason(jobManager.state() == ComponentState.READY ? "JobManagerAnswers" : "JobManagerUnreachable");
        condition.setMessage(jobManager.message());
        condition.setLastTransitionTime(text(jobManager.since()));
        return condition;
    }

    private static FlinkClusterStatus.Savepoint savepoint(SavepointRequest request) {
        FlinkClusterStatus.Savepoint savepoint = new FlinkClusterStatus.Savepoint();
        savepoint.setJobId(request.flinkJobId());
        savepoint.setTriggerId(request.triggerId());
        savepoint.setTriggerTime(text(request.triggerTime()));
        savepoint.setTriggerReason(request.reason().statusValue());
        savepoint.setState(request.state().word());
        savepoint.setMessage(request.message());
        return savepoint;
    }

    private static FlinkClusterStatus.Control control(ControlStatus model) {
        FlinkClusterStatus.Control control = new FlinkClusterStatus.Control();
        control.setName(model.name());
        control.setState(model.state().word());
        if (model.flinkJobId() != null || model.savepointTriggerId() != null) {
            FlinkClusterStatus.ControlDetails details = new FlinkClusterStatus.ControlDetails();
            details.setJobId(model.flinkJobId());
            details.setSavepointTriggerId(model.savepointTriggerId());
            control.setDetails(details);
        }
        control.setMessage(model.message());
        control.setUpdateTime(text(model.updateTime()));
        return control;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}

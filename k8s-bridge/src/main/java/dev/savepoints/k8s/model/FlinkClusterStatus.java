package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.io.IOException;
import java.util.List;

/**
 * {@code status}, as {@code kubectl describe} shows it in the user's guide: {@code components.job} (and
 * {@code components.jobManager}), {@code savepoint}, {@code control} and {@code conditions}. The service writes it
 * whole, through the status subresource, from the job's status model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
@JsonDeserialize(using = FlinkClusterStatus.Reader.class)
public class FlinkClusterStatus extends KeptFields {

    /**
     * Reads a status whatever someone else wrote into it: one that does not fit the model (a value of the wrong
     * type) is read as an empty status, named unreadable, instead of stopping the informer for every resource. The
     * service's next write replaces it.
     */
    static final class Reader extends StdDeserializer<FlinkClusterStatus> {
        private volatile JsonDeserializer<Object> plain;

        Reader() {
            super(FlinkClusterStatus.class);
        }

        @Override
        public FlinkClusterStatus deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = context.readTree(parser);
            try (JsonParser fields = node.traverse(parser.getCodec())) {
                fields.nextToken();
                return (FlinkClusterStatus) plain(context).deserialize(fields, context);
            } catch (IOException | RuntimeException e) {
                FlinkClusterStatus unreadable = new FlinkClusterStatus();
                unreadable.unreadable().put("", "cannot be read: " + Lenient.show(node));
                return unreadable;
            }
        }

        private JsonDeserializer<Object> plain(DeserializationContext context) throws IOException {
            if (plain == null) {
                plain = Lenient.beanDeserializer(context, FlinkClusterStatus.class);
            }
            return plain;
        }
    }

    private String state;
    private Components components;
    private Savepoint savepoint;
    private Control control;
    private List<Condition> conditions;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Components {
        private Job job;
        private JobManager jobManager;
        private Component configMap;
        private Component jobManagerService;
        private Pods taskManager;

        public Component getConfigMap() { return configMap; }
        public void setConfigMap(Component configMap) { this.configMap = configMap; }
        public JobManager getJobManager() { return jobManager; }
        public void setJobManager(JobManager jobManager) { this.jobManager = jobManager; }
        public Component getJobManagerService() { return jobManagerService; }
        public void setJobManagerService(Component jobManagerService) { this.jobManagerService = jobManagerService; }
        public Pods getTaskManager() { return taskManager; }
        public void setTaskManager(Pods taskManager) { this.taskManager = taskManager; }
        public Job getJob() { return job; }
        public void setJob(Job job) { this.job = job; }
    }

    /** An object of the Flink cluster the service created: {@code configMap}, {@code jobManagerService}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Component {
        private String name;
        private String state;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getState() { return state; }
        public void setState(String state) { this.state = state; }
    }

    /** An object with pods ({@code taskManager}): how many it asks for, how many are ready, and both as "2/3". */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Pods extends Component {
        private Integer replicas;
        private Integer readyReplicas;
        private String ready;

        public Integer getReplicas() { return replicas; }
        public void setReplicas(Integer replicas) { this.replicas = replicas; }
        public Integer getReadyReplicas() { return readyReplicas; }
        public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
        public String getReady() { return ready; }
        public void setReady(String ready) { this.ready = ready; }
    }

    /**
     * {@code status.components.jobManager}: whether the JobManager's REST API answers the service, and where the
     * service created the cluster, its StatefulSet's pods; {@code Ready} only when both are.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class JobManager extends Pods {
        private String message;

        public String getMessage() { return message; }
        public void setMessage(String message) { this.message = message; }
    }

    /** A Kubernetes condition ({@code status.conditions[]}), e.g. {@code JobManagerReachable}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Condition {
        private String type;
        private String status;
        private String reason;
        private String message;
        private String lastTransitionTime;

        public String getType() { return type; }
        public void setType(String type) { this.type = type; }
        public String getStatus() { return status; }
        public void setStatus(String status) { this.status = status; }
        public String getReason() { return reason; }
        public void setReason(String reason) { this.reason = reason; }
        public String getMessage() { return message; }
        public void setMessage(String message) { this.message = message; }
        public String getLastTransitionTime() { return lastTransitionTime; }
        public void setLastTransitionTime(String lastTransitionTime) { this.lastTransitionTime = lastTransitionTime; }
    }

    /** {@code status.components.job}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Job {
        private String name;
        private String id;
        private String state;
        private Long savepointGeneration;
        private String savepointLocation;
        @JsonProperty("lastSavepointTriggerID")
        private String lastSavepointTriggerId;
        private String lastSavepointTime;
        private String fromSavepoint;
        private Integer restartCount;
        private List<String> failureReasons;
        private Boolean finalSavepoint;
        private String deployTime;
        private String startTime;
        private String completionTime;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public String getState() { return state; }
        public void setState(String state) { this.state = state; }
        public Long getSavepointGeneration() { return savepointGeneration; }
        public void setSavepointGeneration(Long savepointGeneration) { this.savepointGeneration = savepointGeneration; }
        public String getSavepointLocation() { return savepointLocation; }
        public void setSavepointLocation(String savepointLocation) { this.savepointLocation = savepointLocation; }
        @JsonProperty("lastSavepointTriggerID")
        public String getLastSavepointTriggerId() { return lastSavepointTriggerId; }
        @JsonProperty("lastSavepointTriggerID")
        public void setLastSavepointTriggerId(String id) { this.lastSavepointTriggerId = id; }
        public String getLastSavepointTime() { return lastSavepointTime; }
        public void setLastSavepointTime(String lastSavepointTime) { this.lastSavepointTime = lastSavepointTime; }
        public String getFromSavepoint() { return fromSavepoint; }
        public void setFromSavepoint(String fromSavepoint) { this.fromSavepoint = fromSavepoint; }
        public Integer getRestartCount() { return restartCount; }
        public void setRestartCount(Integer restartCount) { this.restartCount = restartCount; }
        public List<String> getFailureReasons() { return failureReasons; }
        public void setFailureReasons(List<String> failureReasons) { this.failureReasons = failureReasons; }
        public Boolean getFinalSavepoint() { return finalSavepoint; }
        public void setFinalSavepoint(Boolean finalSavepoint) { this.finalSavepoint = finalSavepoint; }
        public String getDeployTime() { return deployTime; }
        public void setDeployTime(String deployTime) { this.deployTime = deployTime; }
        public String getStartTime() { return startTime; }
        public void setStartTime(String startTime) { this.startTime = startTime; }
        public String getCompletionTime() { return completionTime; }
        public void setCompletionTime(String completionTime) { this.completionTime = completionTime; }
    }

    /** {@code status.savepoint}: the latest savepoint request. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Savepoint {
        @JsonProperty("jobID")
        private String jobId;
        @JsonProperty("triggerID")
        private String triggerId;
        private String triggerTime;
        private String triggerReason;
        private String state;
        private String message;

        @JsonProperty("jobID")
        public String getJobId() { return jobId; }
        @JsonProperty("jobID")
        public void setJobId(String jobId) { this.jobId = jobId; }
        @JsonProperty("triggerID")
        public String getTriggerId() { return triggerId; }
        @JsonProperty("triggerID")
        public void setTriggerId(String triggerId) { this.triggerId = triggerId; }
        public String getTriggerTime() { return triggerTime; }
        public void setTriggerTime(String triggerTime) { this.triggerTime = triggerTime; }
        public String getTriggerReason() { return triggerReason; }
        public void setTriggerReason(String triggerReason) { this.triggerReason = triggerReason; }
        public String getState() { return state; }
        public void setState(String state) { this.state = state; }
        public String getMessage() { return message; }
        public void setMessage(String message) { this.message = message; }
    }

    /** {@code status.control}: the latest user control. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Control {
        private String name;
        private String state;
        private ControlDetails details;
        private String message;
        private String updateTime;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getState() { return state; }
        public void setState(String state) { this.state = state; }
        public ControlDetails getDetails() { return details; }
        public void setDetails(ControlDetails details) { this.details = details; }
        public String getMessage() { return message; }
        public void setMessage(String message) { this.message = message; }
        public String getUpdateTime() { return updateTime; }
        public void setUpdateTime(String updateTime) { this.updateTime = updateTime; }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ControlDetails {
        @JsonProperty("jobID")
        private String jobId;
        @JsonProperty("savepointTriggerID")
        private String savepointTriggerId;

        @JsonProperty("jobID")
        public String getJobId() { return jobId; }
        @JsonProperty("jobID")
        public void setJobId(String jobId) { this.jobId = jobId; }
        @JsonProperty("savepointTriggerID")
        public String getSavepointTriggerId() { return savepointTriggerId; }
        @JsonProperty("savepointTriggerID")
        public void setSavepointTriggerId(String id) { this.savepointTriggerId = id; }
    }

    /** {@code status.state}: the cluster as a whole (Creating, Running, Updating, Stopped). */
    public String getState() { return state; }
    public void setState(String state) { this.state = state; }
    public Components getComponents() { return components; }
    public void setComponents(Components components) { this.components = components; }
    public Savepoint getSavepoint() { return savepoint; }
    public void setSavepoint(Savepoint savepoint) { this.savepoint = savepoint; }
    public Control getControl() { return control; }
    public void setControl(Control control) { this.control = control; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
}

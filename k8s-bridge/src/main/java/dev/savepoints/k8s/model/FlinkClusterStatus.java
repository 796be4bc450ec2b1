package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code status}, as {@code kubectl describe} shows it in the user's guide: {@code components.job},
 * {@code savepoint} and {@code control}. Written by the service only, through the status subresource.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FlinkClusterStatus {

    private Components components;
    private Savepoint savepoint;
    private Control control;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Components {
        private Job job;

        public Job getJob() { return job; }
        public void setJob(Job job) { this.job = job; }
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

    public Components getComponents() { return components; }
    public void setComponents(Components components) { this.components = components; }
    public Savepoint getSavepoint() { return savepoint; }
    public void setSavepoint(Savepoint savepoint) { this.savepoint = savepoint; }
    public Control getControl() { return control; }
    public void setControl(Control control) { this.control = control; }
}

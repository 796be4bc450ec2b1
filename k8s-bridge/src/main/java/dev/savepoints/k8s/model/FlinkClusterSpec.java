package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code spec}: the job, and the JobManager whose REST port the service talks to. Other fields are kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
public class FlinkClusterSpec {

    private JobSpec job;
    private JobManagerSpec jobManager;
    private final Map<String, Object> otherFields = new LinkedHashMap<>();

    public JobSpec getJob() {
        return job;
    }

    public void setJob(JobSpec job) {
        this.job = job;
    }

    public JobManagerSpec getJobManager() {
        return jobManager;
    }

    public void setJobManager(JobManagerSpec jobManager) {
        this.jobManager = jobManager;
    }

    /** Fields of the upstream operator this service does not use (image, taskManager, flinkProperties, …). */
    @JsonAnyGetter
    public Map<String, Object> getOtherFields() {
        return otherFields;
    }

    @JsonAnySetter
    public void setOtherField(String name, Object value) {
        otherFields.put(name, value);
    }
}

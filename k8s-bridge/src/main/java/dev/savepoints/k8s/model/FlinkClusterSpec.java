package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code spec}: the job, and the JobManager whose REST port the service talks to. Other fields are kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
public class FlinkClusterSpec extends KeptFields {

    private JobSpec job;
    private JobManagerSpec jobManager;

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
}

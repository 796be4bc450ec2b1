package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code spec}: the job, and the JobManager whose REST port the service talks to. Other fields are kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
@JsonDeserialize(using = FlinkClusterSpec.Reader.class)
public class FlinkClusterSpec extends KeptFields {

    /** Reads what fits; see {@link Lenient}. */
    static final class Reader extends Lenient.Deserializer<FlinkClusterSpec> {
        Reader() {
            super(FlinkClusterSpec.class, Lenient.shapes("job", Lenient.object(), "jobManager", Lenient.object()));
        }

        @Override
        FlinkClusterSpec empty() {
            return new FlinkClusterSpec();
        }
    }

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

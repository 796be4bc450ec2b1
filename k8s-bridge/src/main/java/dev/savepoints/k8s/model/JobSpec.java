package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Min;
import java.util.Arrays;
import java.util.List;

/** {@code spec.job}: what runs, and everything about its savepoints. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
@JsonDeserialize(using = JobSpec.Reader.class)
public class JobSpec extends KeptFields {

    /** Reads what fits; see {@link Lenient}. Negative numbers are left to the job's rules, except the generation. */
    static final class Reader extends Lenient.Deserializer<JobSpec> {
        Reader() {
            super(JobSpec.class, Lenient.shapes(
                    "jarFile", Lenient.text(), "className", Lenient.text(), "args", Lenient.texts(),
                    "parallelism", Lenient.wholeNumber(), "fromSavepoint", Lenient.text(),
                    "allowNonRestoredState", Lenient.bool(), "savepointsDir", Lenient.text(),
                    "autoSavepointSeconds", Lenient.wholeNumber(),
                    "savepointGeneration", Lenient.wholeNumber(0, Integer.MAX_VALUE),
                    "restartPolicy", Lenient.oneOf(Arrays.stream(dev.savepoints.command.api.RestartPolicy.values())
                            .map(dev.savepoints.command.api.RestartPolicy::specValue).toArray(String[]::new)),
                    "savepointFormatType", Lenient.oneOf("CANONICAL", "NATIVE"),
                    "maxStateAgeToRestoreSeconds", Lenient.wholeNumber(), "takeSavepointOnUpdate", Lenient.bool(),
                    "cancelRequested", Lenient.bool(), "retention", Lenient.object()));
        }

        @Override
        JobSpec empty() {
            return new JobSpec();
        }
    }

    public enum RestartPolicy {
        @JsonProperty("Never") NEVER,
        @JsonProperty("FromSavepointOnFailure") FROM_SAVEPOINT_ON_FAILURE
    }

    public enum SavepointFormatType { CANONICAL, NATIVE }

    private String jarFile;
    private String className;
    private List<String> args;
    @Min(1)
    private Integer parallelism;
    private String fromSavepoint;
    private Boolean allowNonRestoredState;
    private String savepointsDir;
    @Min(0)
    private Integer autoSavepointSeconds;
    @Min(0)
    private Integer savepointGeneration;
    private RestartPolicy restartPolicy;
    private SavepointFormatType savepointFormatType;
    @Min(0)
    private Integer maxStateAgeToRestoreSeconds;
    private Boolean takeSavepointOnUpdate;
    /** Deprecated upstream in favour of the job-cancel control; taken as that control. */
    private Boolean cancelRequested;
    /** This service's: how long completed savepoints are kept; absent upstream. */
    private JobRetention retention;

    public String getJarFile() { return jarFile; }
    public void setJarFile(String jarFile) { this.jarFile = jarFile; }
    public String getClassName() { return className; }
    public void setClassName(String className) { this.className = className; }
    public List<String> getArgs() { return args; }
    public void setArgs(List<String> args) { this.args = args; }
    public Integer getParallelism() { return parallelism; }
    public void setParallelism(Integer parallelism) { this.parallelism = parallelism; }
    public String getFromSavepoint() { return fromSavepoint; }
    public void setFromSavepoint(String fromSavepoint) { this.fromSavepoint = fromSavepoint; }
    public Boolean getAllowNonRestoredState() { return allowNonRestoredState; }
    public void setAllowNonRestoredState(Boolean allowNonRestoredState) { this.allowNonRestoredState = allowNonRestoredState; }
    public String getSavepointsDir() { return savepointsDir; }
    public void setSavepointsDir(String savepointsDir) { this.savepointsDir = savepointsDir; }
    public Integer getAutoSavepointSeconds() { return autoSavepointSeconds; }
    public void setAutoSavepointSeconds(Integer autoSavepointSeconds) { this.autoSavepointSeconds = autoSavepointSeconds; }
    public Integer getSavepointGeneration() { return savepointGeneration; }
    public void setSavepointGeneration(Integer savepointGeneration) { this.savepointGeneration = savepointGeneration; }
    public RestartPolicy getRestartPolicy() { return restartPolicy; }
    public void setRestartPolicy(RestartPolicy restartPolicy) { this.restartPolicy = restartPolicy; }
    public SavepointFormatType getSavepointFormatType() { return savepointFormatType; }
    public void setSavepointFormatType(SavepointFormatType savepointFormatType) { this.savepointFormatType = savepointFormatType; }
    public Integer getMaxStateAgeToRestoreSeconds() { return maxStateAgeToRestoreSeconds; }
    public void setMaxStateAgeToRestoreSeconds(Integer seconds) { this.maxStateAgeToRestoreSeconds = seconds; }
    public Boolean getTakeSavepointOnUpdate() { return takeSavepointOnUpdate; }
    public void setTakeSavepointOnUpdate(Boolean takeSavepointOnUpdate) { this.takeSavepointOnUpdate = takeSavepointOnUpdate; }
    public Boolean getCancelRequested() { return cancelRequested; }
    public void setCancelRequested(Boolean cancelRequested) { this.cancelRequested = cancelRequested; }
    public JobRetention getRetention() { return retention; }
    public void setRetention(JobRetention retention) { this.retention = retention; }
}

package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Min;

/**
 * {@code spec.job.retention}: how long the job's completed savepoints are kept (this service's; absent in the
 * operator's CRD, so every older manifest keeps working and takes the service's defaults).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
@JsonDeserialize(using = JobRetention.Reader.class)
public class JobRetention extends KeptFields {

    /** Reads what fits; see {@link Lenient}. */
    static final class Reader extends Lenient.Deserializer<JobRetention> {
        Reader() {
            super(JobRetention.class, Lenient.shapes(
                    "maxCount", Lenient.wholeNumber(0, Integer.MAX_VALUE),
                    "maxAgeSeconds", Lenient.wholeNumber(0, Integer.MAX_VALUE),
                    "disposeExternal", Lenient.bool(), "disposeOnDeletion", Lenient.bool()));
        }

        @Override
        JobRetention empty() {
            return new JobRetention();
        }
    }

    @Min(0)
    @JsonPropertyDescription("How many completed savepoints are kept (pinned ones not counted); 0: no count limit.")
    private Integer maxCount;
    @Min(0)
    @JsonPropertyDescription("How old a kept savepoint may be; 0: no age limit.")
    private Integer maxAgeSeconds;
    @JsonPropertyDescription("Whether savepoints taken outside the service fall under the limits too (default false).")
    private Boolean disposeExternal;
    @JsonPropertyDescription("Whether deleting the FlinkCluster disposes of its savepoints, all but pinned ones (default false).")
    private Boolean disposeOnDeletion;

    public Integer getMaxCount() { return maxCount; }
    public void setMaxCount(Integer maxCount) { this.maxCount = maxCount; }
    public Integer getMaxAgeSeconds() { return maxAgeSeconds; }
    public void setMaxAgeSeconds(Integer maxAgeSeconds) { this.maxAgeSeconds = maxAgeSeconds; }
    public Boolean getDisposeExternal() { return disposeExternal; }
    public void setDisposeExternal(Boolean disposeExternal) { this.disposeExternal = disposeExternal; }
    public Boolean getDisposeOnDeletion() { return disposeOnDeletion; }
    public void setDisposeOnDeletion(Boolean disposeOnDeletion) { this.disposeOnDeletion = disposeOnDeletion; }
}

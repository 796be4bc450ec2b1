package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code spec.jobManager}: only its ports matter here ({@code ports.ui} is the REST port, 8081 by default). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
@JsonDeserialize(using = JobManagerSpec.Reader.class)
public class JobManagerSpec extends KeptFields {

    /** Reads what fits; see {@link Lenient}. */
    static final class Reader extends Lenient.Deserializer<JobManagerSpec> {
        Reader() {
            super(JobManagerSpec.class, Lenient.shapes("ports", Lenient.object()));
        }

        @Override
        JobManagerSpec empty() {
            return new JobManagerSpec();
        }
    }

    /** Reads what fits; see {@link Lenient}. */
    static final class PortsReader extends Lenient.Deserializer<Ports> {
        PortsReader() {
            super(Ports.class, Lenient.shapes("ui", Lenient.wholeNumber(1, 65535)));
        }

        @Override
        Ports empty() {
            return new Ports();
        }
    }

    private Ports ports;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @PreserveUnknownFields
    @JsonDeserialize(using = PortsReader.class)
    public static class Ports extends KeptFields {

        @io.fabric8.generator.annotation.Min(1)
        @io.fabric8.generator.annotation.Max(65535)
        private Integer ui;

        public Integer getUi() {
            return ui;
        }

        public void setUi(Integer ui) {
            this.ui = ui;
        }
    }

    public Ports getPorts() {
        return ports;
    }

    public void setPorts(Ports ports) {
        this.ports = ports;
    }
}

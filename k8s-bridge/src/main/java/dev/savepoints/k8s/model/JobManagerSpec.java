package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code spec.jobManager}: only its ports matter here ({@code ports.ui} is the REST port, 8081 by default). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
public class JobManagerSpec extends KeptFields {

    private Ports ports;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @PreserveUnknownFields
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

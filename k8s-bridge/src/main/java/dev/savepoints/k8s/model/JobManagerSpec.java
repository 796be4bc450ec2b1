package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code spec.jobManager}: only its ports matter here ({@code ports.ui} is the REST port, 8081 by default). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
public class JobManagerSpec {

    private Ports ports;
    private final Map<String, Object> otherFields = new LinkedHashMap<>();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @PreserveUnknownFields
    public static class Ports {

        @io.fabric8.generator.annotation.Min(1)
        @io.fabric8.generator.annotation.Max(65535)
        private Integer ui;
        private final Map<String, Object> otherFields = new LinkedHashMap<>();

        public Integer getUi() {
            return ui;
        }

        public void setUi(Integer ui) {
            this.ui = ui;
        }

        @JsonAnyGetter
        public Map<String, Object> getOtherFields() {
            return otherFields;
        }

        @JsonAnySetter
        public void setOtherField(String name, Object value) {
            otherFields.put(name, value);
        }
    }

    public Ports getPorts() {
        return ports;
    }

    public void setPorts(Ports ports) {
        this.ports = ports;
    }

    @JsonAnyGetter
    public Map<String, Object> getOtherFields() {
        return otherFields;
    }

    @JsonAnySetter
    public void setOtherField(String name, Object value) {
        otherFields.put(name, value);
    }
}

package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of an upstream FlinkCluster object that this service does not model, kept as they are so that a
 * resource written back (or a manifest read) loses nothing. Subclasses also carry {@code @PreserveUnknownFields},
 * so the CRD's schema keeps them too.
 */
public abstract class KeptFields {

    private final Map<String, Object> otherFields = new LinkedHashMap<>();

    @JsonAnyGetter
    public Map<String, Object> getOtherFields() {
        return otherFields;
    }

    @JsonAnySetter
    public void setOtherField(String name, Object value) {
        otherFields.put(name, value);
    }
}

package dev.savepoints.k8s.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of an upstream FlinkCluster object that this service does not model, kept as they are so that a
 * resource written back (or a manifest read) loses nothing. Subclasses also carry {@code @PreserveUnknownFields},
 * so the CRD's schema keeps them too.
 */
public abstract class KeptFields {

    private final Map<String, Object> otherFields = new LinkedHashMap<>();
    /** Modelled fields whose value could not be read (kept among the other fields), with the problem: see {@link Lenient}. */
    @JsonIgnore
    private final Map<String, String> unreadable = new LinkedHashMap<>();

    @JsonAnyGetter
    public Map<String, Object> getOtherFields() {
        return otherFields;
    }

    @JsonAnySetter
    public void setOtherField(String name, Object value) {
        otherFields.put(name, value);
    }

    /**
     * The modelled fields whose value has the wrong type or is out of range, each with what is wrong, e.g.
     * {@code autoSavepointSeconds -> must be a whole number, was "abc"}; the empty name when this part itself is
     * not an object. Their values are among the other fields, as the user wrote them.
     */
    public Map<String, String> unreadable() {
        return unreadable;
    }
}

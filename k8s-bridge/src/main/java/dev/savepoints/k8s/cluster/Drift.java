package dev.savepoints.k8s.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether an object in the cluster is what the FlinkCluster declares. Two checks, because each misses what the
 * other sees: the hash of the declared object, stored on it when written, changes with the declaration (also when
 * a field is removed from it); and every field the service sets must hold the value it set (which catches an edit
 * by hand). Fields the API server adds (defaults, a Service's cluster IP, status) are not compared, and quantities
 * are compared by amount, since the API server rewrites {@code 2048Mi} as {@code 2Gi}.
 */
final class Drift {

    /** On each object: the hash of what the service last declared it to be. */
    static final String DECLARED_HASH = "savepoints.dev/declared-hash";
    /** The difference of an object whose declaration changed since it was written. */
    static final String DECLARATION_CHANGED = "the declaration changed";
    private static final Set<String> QUANTITY_MAPS = Set.of("limits", "requests", "capacity");
    private static final Set<String> QUANTITY_FIELDS = Set.of("sizeLimit", "divisor");
    /** The key of a node that holds a quantity. */
    private static final String QUANTITY = " quantity";

    private Drift() {
    }

    static String hash(HasMetadata declared) {
        try {
            byte[] json = ClusterSpec.SERIALIZATION.asJson(declared).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null when {@code actual} is as declared, else the first difference found, e.g. {@code spec.replicas}. */
    static String difference(HasMetadata declared, String declaredHash, HasMetadata actual) {
        Map<String, String> annotations = actual.getMetadata().getAnnotations();
        if (annotations == null || !declaredHash.equals(annotations.get(DECLARED_HASH))) {
            return DECLARATION_CHANGED;
        }
        JsonNode want = ClusterSpec.SERIALIZATION.convertValue(declared, JsonNode.class);
        JsonNode have = ClusterSpec.SERIALIZATION.convertValue(actual, JsonNode.class);
        for (String part : new String[] {"spec", "data"}) {
            String difference = difference(part, part, want.get(part), have.get(part));
            if (difference != null) {
                return difference;
            }
        }
        String labels = difference("metadata.labels", "labels", want.path("metadata").get("labels"),
                have.path("metadata").get("labels"));
        if (labels != null) {
            return labels;
        }
        return difference("metadata.ownerReferences", "ownerReferences", want.path("metadata").get("ownerReferences"),
                have.path("metadata").get("ownerReferences"));
    }

    /** Null when {@code have} holds everything {@code want} does (a node named {@code key}), else the path. */
    private static String difference(String path, String key, JsonNode want, JsonNode have) {
        if (want == null || want.isNull()) {
            return null;
        }
        if ((have == null || have.isNull()) && omittedWhenEmpty(want)) {
            return null; // the API server does not keep false, 0, "" or an empty list or object
        }
        if (have == null || have.isNull()) {
            return path;
        }
        if (want.isObject()) {
            if (!have.isObject()) {
                return path;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = want.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fields.next();
                boolean quantity = QUANTITY_MAPS.contains(key) || QUANTITY_FIELDS.contains(entry.getKey());
                String difference = difference(path + "." + entry.getKey(), quantity ? QUANTITY : entry.getKey(),
                        entry.getValue(), have.get(entry.getKey()));
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        if (want.isArray()) {
            if (!have.isArray() || have.size() != want.size()) {
                return path;
            }
            for (int i = 0; i < want.size(); i++) {
                String difference = difference(path + "[" + i + "]", "", want.get(i), have.get(i));
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        if (QUANTITY.equals(key) && want.isTextual() && have.isTextual()) {
            return sameAmount(want.asText(), have.asText()) ? null : path;
        }
        return want.equals(have) || want.asText().equals(have.asText()) && want.isNumber() == have.isNumber() ? null : path;
    }

    private static boolean omittedWhenEmpty(JsonNode value) {
        return (value.isBoolean() && !value.asBoolean()) || (value.isNumber() && value.asDouble() == 0)
                || (value.isTextual() && value.asText().isEmpty()) || (value.isContainerNode() && value.isEmpty());
    }

    private static boolean sameAmount(String want, String have) {
        try {
            return Quantity.getAmountInBytes(new Quantity(want)).compareTo(Quantity.getAmountInBytes(new Quantity(have))) == 0;
        } catch (IllegalArgumentException e) {
            return want.equals(have);
        }
    }
}

package dev.savepoints.k8s.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.savepoints.command.api.Texts;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a part of a FlinkCluster whatever its fields hold. A value of the wrong JSON type (a string for a number,
 * a list for a string, an unknown enum value, a number out of range) is not read into its field: it is kept as
 * it is among the {@linkplain KeptFields#getOtherFields() other fields} and named in
 * {@link KeptFields#unreadable()}. One bad resource thus never stops the informer that lists all of them (fabric8
 * stops watching for good when a watch event cannot be read), and the bridge can say what is wrong with it.
 */
public final class Lenient {

    /** Longer strings are refused: the API server caps an object at about 1.5 MB, the service far lower. */
    public static final int MAX_TEXT = 4096;
    static final int MAX_ITEMS = 1000;

    private Lenient() {
    }

    /** What a field's value must be: null when {@code value} fits, else the problem, e.g. "must be true or false". */
    @FunctionalInterface
    interface Shape extends Function<JsonNode, String> {
    }

    static Shape wholeNumber(long min, long max) {
        return value -> {
            if (!value.isIntegralNumber()) {
                return "must be a whole number, was " + show(value);
            }
            BigInteger number = value.bigIntegerValue();
            if (number.compareTo(BigInteger.valueOf(max)) > 0) {
                return "must be at most " + max + ", was " + show(value);
            }
            if (number.compareTo(BigInteger.valueOf(min)) < 0) {
                return (min == 0 ? "must not be negative" : "must be at least " + min) + ", was " + show(value);
            }
            return null;
        };
    }

    static Shape wholeNumber() {
        return wholeNumber(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    static Shape bool() {
        return value -> value.isBoolean() ? null : "must be true or false, was " + show(value);
    }

    static Shape text() {
        return value -> !value.isTextual() ? "must be a string, was " + show(value)
                : value.asText().length() > MAX_TEXT ? "is longer than " + MAX_TEXT + " characters" : null;
    }

    static Shape texts() {
        return value -> {
            boolean fits = value.isArray() && value.size() <= MAX_ITEMS;
            for (JsonNode item : value) {
                fits = fits && text().apply(item) == null;
            }
            return fits ? null : "must be a list of strings (at most " + MAX_ITEMS + ", each at most " + MAX_TEXT
                    + " characters), was " + show(value);
        };
    }

    static Shape object() {
        return value -> value.isObject() ? null : "must be an object, was " + show(value);
    }

    static Shape oneOf(String... values) {
        List<String> allowed = Arrays.asList(values);
        return value -> value.isTextual() && allowed.contains(value.asText()) ? null
                : "must be one of " + allowed + ", was " + show(value);
    }

    /** The value as the user wrote it, cut to 64 characters. */
    static String show(JsonNode value) {
        return Texts.abbreviate(value.toString(), 64);
    }

    /**
     * Reads the fields that fit their shape with the type's plain bean deserializer; the others go to the other
     * fields and {@link KeptFields#unreadable()}. A value that is not an object at all gives an empty instance
     * whose problem is keyed by the empty name.
     */
    abstract static class Deserializer<T extends KeptFields> extends StdDeserializer<T> {

        private final Map<String, Shape> shapes;
        private volatile JsonDeserializer<Object> plain;

        Deserializer(Class<T> type, Map<String, Shape> shapes) {
            super(type);
            this.shapes = shapes;
        }

        abstract T empty();

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = context.readTree(parser);
            if (!node.isObject()) {
                T empty = empty();
                empty.unreadable().put("", object().apply(node));
                return empty;
            }
            ObjectNode readable = ((ObjectNode) node).deepCopy();
            Map<String, String> problems = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                Shape shape = shapes.get(field.getKey());
                String problem = shape == null || field.getValue().isNull() ? null : shape.apply(field.getValue());
                if (problem != null) {
                    problems.put(field.getKey(), problem);
                    readable.remove(field.getKey());
                }
            }
            try (JsonParser fields = readable.traverse(parser.getCodec())) {
                fields.nextToken();
                T value = (T) plain(context).deserialize(fields, context);
                for (String name : problems.keySet()) {
                    value.setOtherField(name, context.readTreeAsValue(node.get(name), Object.class));
                }
                value.unreadable().putAll(problems);
                return value;
            }
        }

        private JsonDeserializer<Object> plain(DeserializationContext context) throws IOException {
            if (plain == null) {
                plain = beanDeserializer(context, handledType());
            }
            return plain;
        }
    }

    /** The bean deserializer Jackson would use for {@code type} without the custom one it is annotated with. */
    static JsonDeserializer<Object> beanDeserializer(DeserializationContext context, Class<?> type) throws IOException {
        JavaType javaType = context.constructType(type);
        BeanDescription bean = context.getConfig().introspect(javaType);
        JsonDeserializer<Object> deserializer = context.getFactory().createBeanDeserializer(context, javaType, bean);
        if (deserializer instanceof ResolvableDeserializer resolvable) {
            resolvable.resolve(context);
        }
        return deserializer;
    }

    /** Pairs of a field's name and its shape. */
    static Map<String, Shape> shapes(Object... nameAndShape) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (int i = 0; i < nameAndShape.length; i += 2) {
            shapes.put((String) nameAndShape[i], (Shape) nameAndShape[i + 1]);
        }
        return shapes;
    }
}

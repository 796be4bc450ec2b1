package dev.savepoints.query.web.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/** The pages' links, each value encoded; a parameter without a value is left out. */
final class Links {

    private Links() {
    }

    static String jobHref(String namespace, String name) {
        return UriComponentsBuilder.fromPath("/ui/namespaces/{namespace}/flinkclusters/{name}")
                .buildAndExpand(namespace, name).encode().toUriString();
    }

    /** The job page with the savepoint {@code triggerId} selected. */
    static String savepointHref(String jobHref, String triggerId) {
        return UriComponentsBuilder.fromPath(jobHref).queryParam("savepoint", "{id}").encode().buildAndExpand(triggerId)
                .toUriString();
    }

    /** A form's empty field is no filter. */
    static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static Map<String, Object> params(Object... namesAndValues) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                params.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return params;
    }

    static Map<String, Object> with(Map<String, Object> params, String name, Object value) {
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put(name, value);
        return all;
    }

    static String url(String path, Map<String, Object> params) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromPath(path);
        params.forEach((name, value) -> builder.queryParam(name, "{" + name + "}"));
        return builder.encode().buildAndExpand(params).toUriString();
    }
}

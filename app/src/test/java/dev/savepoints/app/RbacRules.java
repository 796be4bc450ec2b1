package dev.savepoints.app;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rules of deploy/rbac.yaml, and the (group, resource, verb) of an API request to check against them. */
final class RbacRules {

    record Call(String group, String resource, String verb, String request) {
    }

    private static final Pattern PATH = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/[^/]+)?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(\\?.*)?$");

    private final List<PolicyRule> rules = new ArrayList<>();

    RbacRules(KubernetesClient client, Path rbac) throws Exception {
        try (InputStream yaml = Files.newInputStream(rbac)) {
            for (HasMetadata item : client.load(yaml).items()) {
                if (item instanceof ClusterRole role) {
                    rules.addAll(role.getRules());
                } else if (item instanceof Role role) {
                    rules.addAll(role.getRules());
                }
            }
        }
    }

    static Call call(RecordedRequest request) {
        String path = request.getPath();
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a resource request: " + path);
        }
        String group = m.group(1) == null ? "" : m.group(1);
        String resource = m.group(2) + (m.group(4) == null ? "" : "/" + m.group(4));
        boolean named = m.group(3) != null;
        String query = m.group(5) == null ? "" : m.group(5);
        String verb = switch (request.getMethod()) {
            case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> request.getMethod().toLowerCase();
        };
        return new Call(group, resource, verb, request.getMethod() + " " + path);
    }

    boolean allows(Call call) {
        return rules.stream().anyMatch(rule -> rule.getApiGroups().contains(call.group())
                && rule.getResources().contains(call.resource()) && rule.getVerbs().contains(call.verb()));
    }

    List<PolicyRule> rules() {
        return rules;
    }
}

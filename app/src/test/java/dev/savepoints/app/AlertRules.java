package dev.savepoints.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The Prometheus alert rules of deploy/prometheus, as the tests read them. */
final class AlertRules {

    static final Path DIRECTORY = DeployManifestsTest.DEPLOY.resolve("prometheus");
    static final Path RULES = DIRECTORY.resolve("savepoint-alerts.rules.yml");
    static final Path PROMETHEUS_RULE = DIRECTORY.resolve("prometheus-rule.yaml");

    /** PromQL words that are not series: aggregations, functions, keywords and the labels they group by. */
    private static final Set<String> NOT_SERIES = Set.of("max", "min", "sum", "avg", "count", "by", "on", "ignoring",
            "without", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "increase", "rate",
            "namespace", "name", "outcome", "reason");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private AlertRules() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> groups(Path file) throws Exception {
        Map<String, Object> document = new Yaml().load(Files.readString(file));
        Object groups = document.containsKey("spec") ? ((Map<String, Object>) document.get("spec")).get("groups")
                : document.get("groups");
        return (List<Map<String, Object>>) groups;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules() throws Exception {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : groups(RULES)) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    /** The series an expression reads: its identifiers, less label matchers, ranges, groupings and PromQL words. */
    static Set<String> seriesIn(String expression) {
        String bare = expression.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("(by|on|ignoring|without)\\s*\\([^)]*\\)", " ").replaceAll("\"[^\"]*\"", " ");
        Set<String> series = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String word = identifier.group();
            if (!NOT_SERIES.contains(word)) {
                series.add(word);
            }
        }
        return series;
    }

    static Set<String> series() throws Exception {
        Set<String> series = new TreeSet<>();
        for (Map<String, Object> rule : rules()) {
            series.addAll(seriesIn((String) rule.get("expr")));
        }
        return series;
    }
}

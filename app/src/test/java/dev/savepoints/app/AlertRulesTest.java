package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.query.status.Staleness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules of deploy/prometheus: the plain file and the PrometheusRule say the same; Prometheus's own
 * promtool finds them valid and, on the series of deploy/prometheus/savepoint-alerts.test.yml, fires each alert when
 * it should and not before; the stale alert's threshold is the history page's ({@link Staleness}). That every series
 * they read is exported by the service is checked on a running service with real history
 * ({@link HistoryPagesBrowserTest}).
 */
class AlertRulesTest {

    static final Path PROMTOOL = Path.of(System.getProperty("promtool", "/usr/bin/promtool"));

    @Test
    void thePrometheusRuleHoldsTheGroupsOfThePlainRulesFile() throws Exception {
        assertThat(AlertRules.groups(AlertRules.PROMETHEUS_RULE)).isEqualTo(AlertRules.groups(AlertRules.RULES));
        assertThat(AlertRules.rules()).extracting(rule -> rule.get("alert")).containsExactly("FlinkSavepointStale",
                "FlinkSavepointsFailingInARow", "FlinkJobManagerUnreachable", "FlinkSavepointDisposalsFailing");
        assertThat(Files.readString(AlertRules.DIRECTORY.resolve("kustomization.yaml")))
                .contains("- prometheus-rule.yaml", "- service-monitor.yaml");
    }

    @Test
    void theStaleAlertFiresAtThePagesStaleVerdict() throws Exception {
        String stale = AlertRules.rules().stream().filter(rule -> "FlinkSavepointStale".equals(rule.get("alert")))
                .map(rule -> (String) rule.get("expr")).findFirst().orElseThrow();
        assertThat(stale.replaceAll("\\s+", " "))
                .contains("> " + Staleness.STALE_AFTER_INTERVALS + " * max by (namespace, name) (savepoint_interval_seconds)");
    }

    @Test
    void seriesAreTakenFromExpressionsWithoutTheirLabelsAndFunctions() {
        assertThat(AlertRules.seriesIn("max by (namespace, name) (a_seconds{outcome=\"failed\"}) > 3 * on (name) "
                + "sum(increase(b_total[5m]))")).containsExactly("a_seconds", "b_total");
    }

    @Test
    void promtoolFindsTheRulesValidAndTheirUnitTestsPass() throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            throw new IllegalStateException(PROMTOOL + " is missing: install Debian's prometheus package (.ci/run does)");
        }
        assertThat(promtool("check", "rules", AlertRules.RULES.toString())).contains("SUCCESS: 4 rules found");
        assertThat(promtool("test", "rules", AlertRules.DIRECTORY.resolve("savepoint-alerts.test.yml").toString()))
                .contains("SUCCESS");
    }

    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}

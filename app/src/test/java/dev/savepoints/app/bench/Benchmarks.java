package dev.savepoints.app.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The benchmark suite (docs/benchmarks.md): {@code ./mvnw -Pbench verify}, results in app/target/benchmarks/results.md.
 * {@code -Dbench.only=latency,scale,queries,history} picks some of them.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> only = new LinkedHashSet<>(Arrays.stream(System.getProperty("bench.only", "latency,scale,queries,history")
                .split(",")).map(String::trim).toList());
        String all = "latency,scale,queries,history";
        String file = only.equals(new LinkedHashSet<>(Arrays.asList(all.split(",")))) ? "results.md"
                : "results-" + String.join("-", only) + ".md"; // a partial run keeps the full one's file
        BenchmarkReport report = new BenchmarkReport(Path.of(System.getProperty("bench.out", "target/benchmarks/" + file)));
        int failures = 0;
        for (String name : only) {
            try {
                switch (name) {
                    case "latency" -> LatencyBenchmark.run(report);
                    case "scale" -> ScaleBenchmark.run(report);
                    case "queries" -> QueryBenchmark.run(report);
                    case "history" -> HistoryBenchmark.run(report);
                    default -> throw new IllegalArgumentException("unknown benchmark " + name + "; expected latency, scale, queries, history");
                }
            } catch (Exception | AssertionError e) {
                failures++;
                report.line("**" + name + " failed:** " + e);
                e.printStackTrace();
            }
        }
        System.out.println("Results in " + report.file().toAbsolutePath());
        System.exit(failures == 0 ? 0 : 1);
    }
}

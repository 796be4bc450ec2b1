package dev.savepoints.app.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The benchmark suite (docs/benchmarks.md): {@code ./mvnw -Pbench verify}, results in app/target/benchmarks/results.md.
 * {@code -Dbench.only=latency,scale,queries,history,pages} picks some of them.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> only = new LinkedHashSet<>(Arrays.stream(System.getProperty("bench.only", "latency,scale,queries,history,pages")
                .split(",")).map(String::trim).toList());
        String all = "latency,scale,queries,history,pages";
        String file = only.equals(new LinkedHashSet<>(Arrays.asList(all.split(",")))) ? "results.md"
                : "results-" + String.join("-", only) + ".md"; // a partial run keeps the full one's file
        Path results = Path.of(System.getProperty("bench.out", "target/benchmarks/" + file));
        boolean child = Boolean.getBoolean("bench.child");
        BenchmarkReport report = new BenchmarkReport(results, child);
        int failures = 0;
        for (String name : only) {
            try {
                if (!child && only.size() > 1) {
                    // each in a JVM of its own: what one leaves behind (threads, heap, a JIT profile) must not
                    // weigh on the next one's numbers
                    failures += runAlone(name, results);
                    continue;
                }
                switch (name) {
                    case "latency" -> LatencyBenchmark.run(report);
                    case "scale" -> ScaleBenchmark.run(report);
                    case "queries" -> QueryBenchmark.run(report);
                    case "history" -> HistoryBenchmark.run(report);
                    case "pages" -> PagesBenchmark.run(report);
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

    private static int runAlone(String name, Path results) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> !argument.startsWith("-Dbench.only=") && !argument.startsWith("-Dbench.out=")).toList());
        command.addAll(List.of("-Dbench.only=" + name, "-Dbench.out=" + results.toAbsolutePath(), "-Dbench.child=true",
                "-cp", System.getProperty("java.class.path"), Benchmarks.class.getName()));
        return new ProcessBuilder(command).inheritIO().start().waitFor() == 0 ? 0 : 1;
    }
}

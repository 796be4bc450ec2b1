package dev.savepoints.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results file of a benchmark run: Markdown, written as the benchmarks go so that a crash keeps what was measured. */
public final class BenchmarkReport {

    private final Path file;

    /** A new results file, or with {@code append} the one a parent run started. */
    public BenchmarkReport(Path file, boolean append) {
        this.file = file;
        if (append) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line("# Benchmark results");
        line("");
        line("Run " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MiB, " + ManagementFactory.getOperatingSystemMXBean().getName() + ".");
        line("");
    }

    public void section(String title) {
        line("");
        line("## " + title);
        line("");
        System.out.println("=== " + title);
    }

    public void line(String text) {
        try {
            Files.writeString(file, text + System.lineSeparator(), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!text.isEmpty()) {
            System.out.println(text);
        }
    }

    public void table(List<String> header, List<List<String>> rows) {
        line("| " + String.join(" | ", header) + " |");
        line("|" + " --- |".repeat(header.size()));
        for (List<String> row : rows) {
            line("| " + String.join(" | ", row) + " |");
        }
        line("");
    }

    public void code(String language, String text) {
        line("```" + language);
        line(text.strip());
        line("```");
        line("");
    }

    public Path file() {
        return file;
    }

    /** Percentiles of a sample (nearest rank). */
    public record Stats(int count, double p50, double p99, double max) {

        public static Stats ofMillis(List<Double> values) {
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(null);
            if (sorted.isEmpty()) {
                return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Stats(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.99), sorted.get(sorted.size() - 1));
        }

        public static Stats of(List<Duration> durations) {
            return ofMillis(durations.stream().map(d -> d.toNanos() / 1e6).toList());
        }

        private static double rank(List<Double> sorted, double quantile) {
            int index = (int) Math.ceil(quantile * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }

        public static String ms(double value) {
            return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, value < 10 ? "%.2f ms" : "%.0f ms", value);
        }

        public List<String> cells() {
            return List.of(Integer.toString(count), ms(p50), ms(p99), ms(max));
        }
    }
}

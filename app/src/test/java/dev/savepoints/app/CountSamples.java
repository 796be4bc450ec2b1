package dev.savepoints.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a counting job writes, sampled every 10 ms: a job restored from a savepoint goes on from the count it holds,
 * one started from empty state starts again at 1, which the samples show as a drop.
 */
final class CountSamples implements AutoCloseable {

    private final List<Long> seen = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    CountSamples(Path out) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                long value = Files.exists(out) ? Long.parseLong(Files.readString(out).trim()) : 0;
                if (value > 0 && (seen.isEmpty() || seen.get(seen.size() - 1) != value)) {
                    seen.add(value);
                }
            } catch (Exception e) {
                // not written yet, or being written
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
    }

    List<Long> values() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

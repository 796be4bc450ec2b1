package dev.savepoints.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A {@code file:} savepoint the service can see itself (a volume it shares with the JobManager, or the same
 * machine): deleted here when no JobManager takes its disposal. Only a directory that holds a savepoint's
 * {@code _metadata} is ever deleted, whatever a location says.
 */
public final class LocalSavepointFiles {

    static final String METADATA = "_metadata";

    private LocalSavepointFiles() {
    }

    /** The savepoint's directory, when {@code location} is a local path that holds a savepoint this process sees. */
    public static Optional<Path> visible(String location) {
        Optional<Path> directory = directory(location);
        return directory.filter(d -> Files.isRegularFile(d.resolve(METADATA)));
    }

    /** Whether a local {@code location} has nothing left at it; false for one that is not local. */
    public static boolean gone(String location) {
        return directory(location).map(d -> !Files.exists(d)).orElse(false);
    }

    /** Deletes the savepoint's directory with everything in it, deepest first. */
    public static void delete(Path directory) {
        if (!Files.isRegularFile(directory.resolve(METADATA))) {
            throw new IllegalArgumentException(directory + " holds no savepoint (" + METADATA + ")");
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Path> directory(String location) {
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(location);
            if (uri.getScheme() == null) {
                Path path = Path.of(location);
                return path.isAbsolute() && path.getNameCount() > 0 ? Optional.of(path.normalize()) : Optional.empty();
            }
            if (!"file".equals(uri.getScheme()) || uri.getPath() == null) {
                return Optional.empty();
            }
            Path path = Path.of(uri.getPath());
            return path.getNameCount() > 0 ? Optional.of(path.normalize()) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

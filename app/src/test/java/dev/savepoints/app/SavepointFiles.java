package dev.savepoints.app;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The savepoint directories of a test on disk, compared with the locations the service records. */
final class SavepointFiles {

    private SavepointFiles() {
    }

    /** The savepoint directories in {@code savepointsDir}, as paths. */
    static Set<String> onDisk(Path savepointsDir) throws Exception {
        if (!Files.isDirectory(savepointsDir)) {
            return Set.of();
        }
        try (Stream<Path> dirs = Files.list(savepointsDir)) {
            return dirs.map(d -> d.toAbsolutePath().normalize().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Locations as paths: Flink writes {@code file:/x}, a Path's URI is {@code file:///x/}. */
    static Set<String> paths(Collection<String> locations) {
        return locations.stream().map(SavepointFiles::path).collect(Collectors.toCollection(TreeSet::new));
    }

    static String path(String location) {
        return Path.of(URI.create(location)).toAbsolutePath().normalize().toString();
    }
}

package dev.savepoints.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of one service, owned by it for as long as its JVM lives:
 * <ol>
 *   <li>the owner lock: a file beside the data directory ({@code data/postgres.lock} for {@code data/postgres}),
 *       locked while the JVM lives; the kernel releases the lock when the JVM dies, however it dies. A second
 *       service on the same directory finds it locked and stops at once, naming the owner written in it;</li>
 *   <li>a server left running by an owner that died is stopped cleanly ({@link LeftoverPostmaster});</li>
 *   <li>the server is started (zonky) and a {@link PostmasterWatchdog} stops it should the JVM die.</li>
 * </ol>
 * A leftover server is stopped rather than adopted: it is nobody's child, nothing would stop it at the next
 * death, its port and settings are an earlier run's, and its log goes to a pipe nobody reads. A fast shutdown
 * and a new start cost about a second.
 */
public final class EmbeddedPostgresServer implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final OwnerLock lock;
    private final EmbeddedPostgres postgres;
    private final PostmasterWatchdog watchdog;

    private EmbeddedPostgresServer(OwnerLock lock, EmbeddedPostgres postgres, PostmasterWatchdog watchdog) {
        this.lock = lock;
        this.postgres = postgres;
        this.watchdog = watchdog;
    }

    /** Starts the server on {@link DbProperties#embeddedDataDirectory()}, or throws {@link EmbeddedDatabaseException}. */
    public static EmbeddedPostgresServer start(DbProperties properties) {
        Path dataDirectory;
        OwnerLock lock;
        try {
            // the real path: one lock file however the directory is spelled (a symbolic link, "..")
            dataDirectory = Files.createDirectories(properties.embeddedDataDirectory()).toRealPath();
            lock = OwnerLock.acquire(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL's data directory "
                    + properties.embeddedDataDirectory().toAbsolutePath() + " cannot be locked: " + e.getMessage(), e);
        }
        EmbeddedPostgres postgres = null;
        try {
            lock.previousOwner().ifPresent(owner -> log.warn("The previous service on {} ({}) did not stop cleanly:"
                    + " it was killed, or it crashed", dataDirectory, owner));
            LeftoverPostmaster.clear(dataDirectory);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(properties.embeddedPort())
                    .setPGStartupWait(properties.embeddedStartupTimeout())
                    .start();
            return new EmbeddedPostgresServer(lock, postgres, watchdog(dataDirectory));
        } catch (IOException | RuntimeException e) {
            try {
                if (postgres != null) {
                    postgres.close();
                }
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            lock.abandon();
            if (e instanceof EmbeddedDatabaseException refused) {
                throw refused;
            }
            throw new IllegalStateException("the embedded PostgreSQL did not start in " + dataDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /** The watchdog of the server just started; none (a warning) if it cannot be started: the next start copes. */
    private static PostmasterWatchdog watchdog(Path dataDirectory) {
        try {
            Optional<LeftoverPostmaster.PidFile> ours = LeftoverPostmaster.PidFile.read(dataDirectory);
            if (ours.isPresent()) {
                return PostmasterWatchdog.start(ours.get().pid(), ours.get().path()).orElse(null);
            }
            log.warn("No postmaster.pid in {} after the start: the embedded PostgreSQL is not stopped if the JVM dies",
                    dataDirectory);
        } catch (IOException | RuntimeException e) {
            log.warn("No watchdog for the embedded PostgreSQL ({}): it is not stopped if the JVM dies; the next start"
                    + " stops it", e.toString());
        }
        return null;
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    /** The process of the watchdog that stops the server if this JVM dies; empty where there is none. */
    public Optional<Long> watchdogPid() {
        return Optional.ofNullable(watchdog).map(PostmasterWatchdog::pid);
    }

    /** Stops the server (a fast shutdown), then its watchdog, then gives up the directory. */
    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            if (watchdog != null) {
                watchdog.close();
            }
            lock.close();
        }
    }

    /**
     * The lock that says a live service owns the data directory. It holds the owner's pid and start time for the
     * message of a second service, and is emptied on a clean stop: a start that finds it written knows that the
     * previous owner died.
     */
    static final class OwnerLock implements Closeable {

        /** Locks this JVM holds: a second lock of the same file in one JVM fails, and closing it would drop the first. */
        private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;
        private final String previousOwner;

        private OwnerLock(Path file, FileChannel channel, FileLock lock, String previousOwner) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
            this.previousOwner = previousOwner;
        }

        static Path fileOf(Path dataDirectory) {
            return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".lock");
        }

        static OwnerLock acquire(Path dataDirectory) throws IOException {
            Path file = fileOf(dataDirectory);
            if (!HELD.add(file)) {
                throw inUse(dataDirectory, file, "another instance of the service in this same process");
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    String owner = readOwner(channel);
                    throw inUse(dataDirectory, file, owner.isBlank() ? "another process" : owner);
                }
                String written = readOwner(channel);
                ProcessHandle self = ProcessHandle.current();
                String owner = "pid " + self.pid() + ", started "
                        + self.info().startInstant().orElse(Instant.now()).truncatedTo(ChronoUnit.SECONDS);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
                channel.force(true);
                return new OwnerLock(file, channel, lock, written);
            } catch (IOException | RuntimeException e) {
                if (channel != null) {
                    channel.close();
                }
                HELD.remove(file);
                if (e instanceof OverlappingFileLockException) {
                    throw inUse(dataDirectory, file, "another instance of the service in this same process");
                }
                throw e;
            }
        }

        /** Who held the directory before and did not give it up: empty after a clean stop. */
        Optional<String> previousOwner() {
            return previousOwner.isBlank() ? Optional.empty() : Optional.of(previousOwner);
        }

        /** After a clean stop: emptied, so that the next start knows. */
        @Override
        public void close() {
            release("");
        }

        /** After a start that did not happen: as it was found, a dead owner's name included. */
        void abandon() {
            release(previousOwner);
        }

        private void release(String leave) {
            try {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(leave.getBytes(StandardCharsets.UTF_8)), 0);
                lock.release();
                channel.close();
            } catch (IOException e) {
                log.warn("Could not release {}: {} (it is released when this process ends)", file, e.getMessage());
            } finally {
                HELD.remove(file);
            }
        }

        /** What the owner wrote; empty where the platform does not let a locked file be read (Windows). */
        private static String readOwner(FileChannel channel) {
            try {
                ByteBuffer buffer = ByteBuffer.allocate(512);
                int read = channel.read(buffer, 0);
                return read <= 0 ? "" : new String(buffer.array(), 0, read, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                return "";
            }
        }

        private static EmbeddedDatabaseException inUse(Path dataDirectory, Path file, String owner) {
            return new EmbeddedDatabaseException("The embedded PostgreSQL's data directory " + dataDirectory
                    + " is in use by a service that is running: " + owner + " (it holds " + file + ").",
                    "Stop that service first, or give this one a data directory of its own"
                            + " (savepoints.db.embedded-data-directory) or a database (spring.datasource.url).");
        }
    }
}

package dev.savepoints.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties the embedded PostgreSQL's life to the JVM's: a small shell process, the JVM's child, that waits for the end
 * of its standard input and then stops the server with a fast shutdown (SIGINT).
 *
 * <p>The JVM holds the only write end of that pipe (Java closes every other descriptor in the processes it starts),
 * and the kernel closes it when the JVM ends for whatever reason: {@code kill -9}, the OOM killer, a crash. The
 * server itself cannot be made the JVM's child that dies with it: {@code pg_ctl} detaches it into a session of
 * its own (so a Ctrl-C in the terminal reaches only the JVM, which stops it in order), PostgreSQL does not watch
 * its parent, and Linux's parent-death signal needs native code in the child between fork and exec. The
 * watchdog ignores the terminal's HUP, INT and QUIT for the same reason: the JVM stops the server after
 * everything that uses it. Before it signals, it checks that {@code postmaster.pid} still names the server it
 * watches, so it never stops a server that a later start put there.
 *
 * <p>Where there is no {@code /bin/sh} (Windows) there is no watchdog; the next start then finds and stops a
 * leftover server ({@link LeftoverPostmaster}).
 */
final class PostmasterWatchdog implements AutoCloseable {

    static final String SHELL = "/bin/sh";
    static final boolean SHELL_AVAILABLE = Files.isExecutable(Path.of(SHELL));
    /** $0 of the shell: how the watchdog shows in {@code ps}. */
    static final String NAME = "savepoints-postgres-watchdog";

    private static final Logger log = LoggerFactory.getLogger(PostmasterWatchdog.class);
    private static final String SCRIPT = """
            trap '' HUP INT QUIT
            while read -r line; do :; done
            read -r first 2>/dev/null < "$2" || exit 0
            if [ "$first" = "$1" ]; then kill -s INT "$1"; fi
            """;

    private final Process process;
    private final long postmasterPid;

    private PostmasterWatchdog(Process process, long postmasterPid) {
        this.process = process;
        this.postmasterPid = postmasterPid;
    }

    /** Starts watching the server of {@code pidFile}; empty where the platform has no shell for it. */
    static Optional<PostmasterWatchdog> start(long postmasterPid, Path pidFile) throws IOException {
        if (!SHELL_AVAILABLE) {
            log.info("No {}: the embedded PostgreSQL is not stopped when the JVM dies; the next start stops it", SHELL);
            return Optional.empty();
        }
        Process process = new ProcessBuilder(SHELL, "-c", SCRIPT, NAME, Long.toString(postmasterPid), pidFile.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        log.debug("Watchdog {} stops the embedded PostgreSQL (pid {}) if this JVM dies", process.pid(), postmasterPid);
        return Optional.of(new PostmasterWatchdog(process, postmasterPid));
    }

    long pid() {
        return process.pid();
    }

    /**
     * Ends the watchdog as the JVM's death would: after the server stopped, {@code postmaster.pid} is gone and it
     * only exits; where the server is still stopping, the SIGINT it sends does no harm.
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
        log.debug("Watchdog of the embedded PostgreSQL (pid {}) ended", postmasterPid);
    }
}

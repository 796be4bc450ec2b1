package dev.savepoints.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server found running on the data directory before the embedded PostgreSQL starts, and what to do about it.
 * {@link EmbeddedPostgresServer} calls this only while it holds the directory's owner lock, so no live service
 * uses the directory: a server still running there was left by an owner that died before it could stop it.
 *
 * <p>PostgreSQL's own {@code postmaster.pid} names the server's process (line 1) and its start time (line 3).
 * That process is the leftover server only when it is a {@code postgres} that started at that time; a process
 * with the same pid and another start time is a later program that was given the pid again.
 */
final class LeftoverPostmaster {

    /** Both start times are in whole seconds and taken milliseconds apart; a reused pid is minutes or days later. */
    static final Duration SAME_START = Duration.ofSeconds(5);
    /** A fast shutdown of a server whose clients have gone takes well under a second: one checkpoint. */
    static final Duration FAST_SHUTDOWN = Duration.ofSeconds(30);
    static final Duration IMMEDIATE_SHUTDOWN = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(LeftoverPostmaster.class);
    /** The server binary, also as Linux names it once its file was deleted (zonky's temporary directory cleaned). */
    private static final Pattern POSTGRES = Pattern.compile("postgres(\\.exe)?( \\(deleted\\))?");

    /** What the process that {@code postmaster.pid} names is. */
    enum Verdict {
        /** No process has the pid: PostgreSQL checks and replaces such a file itself as it starts. */
        DEAD,
        /** The server that wrote the file still runs: it is stopped before a new one starts. */
        LEFTOVER,
        /** Another program has the pid now: the file is stale, and PostgreSQL would not start beside it. */
        OTHER_PROGRAM,
        /** It runs, but whether it is the server cannot be told (another user's process, no start time). */
        UNKNOWN
    }

    /** The lines of {@code postmaster.pid} that tell its server: pid and start time. */
    record PidFile(Path path, long pid, Optional<Instant> startedAt) {

        static Optional<PidFile> read(Path dataDirectory) throws IOException {
            Path path = dataDirectory.resolve("postmaster.pid");
            List<String> lines;
            try {
                lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            } catch (NoSuchFileException none) {
                return Optional.empty();
            }
            try {
                long pid = Long.parseLong(lines.get(0).trim());
                Optional<Instant> started = lines.size() > 2 && !lines.get(2).isBlank()
                        ? Optional.of(Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()))) : Optional.empty();
                return Optional.of(new PidFile(path, pid, started));
            } catch (RuntimeException unreadable) { // empty, cut short or not numbers
                throw new EmbeddedDatabaseException(path + " cannot be read (" + lines + "), so whether a PostgreSQL"
                        + " still runs on " + dataDirectory + " cannot be told.",
                        "If no PostgreSQL runs on that directory any more, delete " + path + " and start the service again.");
            }
        }
    }

    private LeftoverPostmaster() {
    }

    /**
     * Makes the data directory ready for a new server: stops a leftover server, removes a {@code postmaster.pid}
     * whose pid another program has now; throws {@link EmbeddedDatabaseException} where neither can be done safely.
     */
    static void clear(Path dataDirectory) throws IOException {
        Optional<PidFile> found = PidFile.read(dataDirectory);
        if (found.isEmpty()) {
            return;
        }
        PidFile file = found.get();
        Optional<ProcessHandle> process = ProcessHandle.of(file.pid());
        Verdict verdict = judge(file, process);
        String seen = process.map(LeftoverPostmaster::describe).orElse("no such process");
        switch (verdict) {
            case DEAD -> log.info("{} names process {}, which no longer runs: the server there did not stop cleanly;"
                    + " PostgreSQL recovers from its write-ahead log as it starts", file.path(), file.pid());
            case OTHER_PROGRAM -> {
                log.warn("{} names process {}, which is another program now ({}): the server that wrote it did not"
                        + " stop cleanly. Removing the stale file so that PostgreSQL starts", file.path(), file.pid(), seen);
                Files.deleteIfExists(file.path());
            }
            case LEFTOVER -> stop(dataDirectory, file, process.get());
            case UNKNOWN -> throw new EmbeddedDatabaseException(file.path() + " names process " + file.pid()
                    + ", which still runs (" + seen + "; the file says started "
                    + file.startedAt().map(Instant::toString).orElse("?") + "), and it cannot be told whether it is the"
                    + " PostgreSQL of this directory.", stopItYourself(dataDirectory, file));
        }
    }

    static Verdict judge(PidFile file, Optional<ProcessHandle> process) {
        if (process.isEmpty() || !process.get().isAlive()) {
            return Verdict.DEAD;
        }
        ProcessHandle.Info info = process.get().info();
        Optional<String> command = info.command();
        if (command.isEmpty()) {
            return Verdict.UNKNOWN;
        }
        if (!POSTGRES.matcher(Path.of(command.get()).getFileName().toString()).matches()) {
            return Verdict.OTHER_PROGRAM;
        }
        // A postgres, but which one: the server that wrote the file started at the time the file gives.
        boolean sameStart = info.startInstant().isPresent() && file.startedAt().isPresent()
                && Duration.between(info.startInstant().get(), file.startedAt().get()).abs().compareTo(SAME_START) <= 0;
        return sameStart ? Verdict.LEFTOVER : Verdict.UNKNOWN;
    }

    /**
     * A fast shutdown (SIGINT, as {@code pg_ctl stop -m fast} sends it): open transactions of the dead owner are
     * rolled back, everything committed is checkpointed. Should it hang, an immediate shutdown (SIGQUIT): the next
     * start then recovers from the write-ahead log, which holds every commit too.
     */
    private static void stop(Path dataDirectory, PidFile file, ProcessHandle postmaster) throws IOException {
        if (!PostmasterWatchdog.SHELL_AVAILABLE) {
            throw new EmbeddedDatabaseException("The PostgreSQL (pid " + file.pid() + ") of an earlier run that ended"
                    + " without stopping it still runs on " + dataDirectory + ", and this platform gives no way to stop"
                    + " it cleanly from here.", stopItYourself(dataDirectory, file));
        }
        log.warn("A PostgreSQL (pid {}, started {}) still runs on {}: the earlier run that started it ended without"
                + " stopping it. Stopping it (fast shutdown) before starting a new one", file.pid(),
                file.startedAt().map(Instant::toString).orElse("?"), dataDirectory);
        long started = System.nanoTime();
        if (signalAndWait(postmaster, "INT", FAST_SHUTDOWN) || signalAndWait(postmaster, "QUIT", IMMEDIATE_SHUTDOWN)) {
            log.info("The leftover PostgreSQL (pid {}) stopped in {} ms", file.pid(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return;
        }
        throw new EmbeddedDatabaseException("The PostgreSQL (pid " + file.pid() + ") left running on " + dataDirectory
                + " by an earlier run did not stop within " + FAST_SHUTDOWN.plus(IMMEDIATE_SHUTDOWN).toSeconds() + " s.",
                stopItYourself(dataDirectory, file));
    }

    /** Sends {@code signal} to the process and waits for it to end; true when it has. */
    private static boolean signalAndWait(ProcessHandle process, String signal, Duration wait) throws IOException {
        try {
            // kill is the shell's builtin: no binary of the server's own is needed (zonky's may have been cleaned away)
            new ProcessBuilder(PostmasterWatchdog.SHELL, "-c", "kill -s " + signal + " " + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL " + process.pid(), e);
        } catch (ExecutionException e) {
            throw new IOException("could not wait for PostgreSQL " + process.pid() + " to stop", e);
        }
    }

    private static String describe(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return info.command().orElse("command unknown") + ", started "
                + info.startInstant().map(Instant::toString).orElse("at an unknown time");
    }

    private static String stopItYourself(Path dataDirectory, PidFile file) {
        return "If it is that PostgreSQL, stop it (pg_ctl -D " + dataDirectory + " stop -m fast, or kill -INT "
                + file.pid() + "); if it is not, delete " + file.path() + ". Then start the service again.";
    }
}

package dev.savepoints.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL and what a dead owner leaves on its data directory: a server still running, a
 * {@code postmaster.pid} of a process that is gone or of a program that has its pid now. Real servers; a server
 * "left by a dead owner" is one started with zonky's {@code pg_ctl} and no owner lock, as a killed JVM leaves it.
 */
class EmbeddedPostgresServerTest {

    private static Path bin;

    @TempDir
    Path work;

    private final List<Process> programs = new ArrayList<>();
    private final List<Path> bareServers = new ArrayList<>();

    /** zonky's binaries, as the one server they unpack shows them. */
    @BeforeAll
    static void binaries() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            long pid = postmasterPid(postgres.getPort());
            bin = Path.of(ProcessHandle.of(pid).orElseThrow().info().command().orElseThrow()).getParent();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        programs.forEach(Process::destroyForcibly);
        for (Path dataDirectory : bareServers) {
            if (Files.exists(dataDirectory.resolve("postmaster.pid"))) { // a test that failed half-way
                run(bin.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "stop", "-m", "immediate", "-w");
            }
        }
    }

    private DbProperties properties(Path dataDirectory) {
        return new DbProperties(dataDirectory, 0, Duration.ofSeconds(30));
    }

    @Test
    void theServerIsWatchedWhileItRunsAndOnAStopGivesUpItsDirectory() throws Exception {
        Path data = work.resolve("postgres");
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties(data));
        int port = server.postgres().getPort();
        long watchdog = server.watchdogPid().orElseThrow();
        assertThat(ProcessHandle.of(watchdog)).get().matches(ProcessHandle::isAlive);
        assertThat(Files.readString(work.resolve("postgres.lock"))).isEqualTo("pid " + ProcessHandle.current().pid()
                + ", started " + ProcessHandle.current().info().startInstant().orElseThrow().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        long postmaster = postmasterPid(port);

        server.close();

        awaitEnd(postmaster);
        awaitEnd(watchdog);
        assertThat(Files.readString(work.resolve("postgres.lock"))).as("emptied: a clean stop").isEmpty();
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(properties(data))) {
            assertThat(select(again.postgres().getPort(), "select 1")).isEqualTo("1");
        }
    }

    @Test
    void aSecondServerOnADirectoryInUseIsRefusedAtOnceAndTheFirstGoesOn() throws Exception {
        Path data = work.resolve("postgres");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(properties(data))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(properties(data)))
                    .isInstanceOf(EmbeddedDatabaseException.class)
                    .hasMessageContaining("The embedded PostgreSQL's data directory " + data.toRealPath() + " is in use by a service"
                            + " that is running")
                    .hasMessageContaining("savepoints.db.embedded-data-directory");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(select(first.postgres().getPort(), "select 1")).isEqualTo("1");
            assertThat(Files.readString(work.resolve("postgres.lock"))).startsWith("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void aServerLeftRunningByADeadOwnerIsStoppedCleanlyAndItsDataKept() throws Exception {
        Path data = initialized("postgres");
        int leftoverPort = startBareServer(data);
        long leftover = postmasterPid(leftoverPort);
        execute(leftoverPort, "create table kept (v text); insert into kept values ('before the owner died')");
        // the dead owner's lock file, as its JVM wrote it
        Files.writeString(work.resolve("postgres.lock"), "pid 999999, started 2026-01-01T00:00:00Z");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties(data))) {
            assertThat(ProcessHandle.of(leftover)).as("the leftover server").isEmpty();
            assertThat(postmasterPid(server.postgres().getPort())).isNotEqualTo(leftover);
            assertThat(select(server.postgres().getPort(), "select v from kept")).isEqualTo("before the owner died");
        }
    }

    @Test
    void aPostmasterPidOfAProcessThatIsGoneIsLeftToPostgres() throws Exception {
        Path data = initialized("postgres");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        writePidFile(data, gone.pid(), Instant.now().minusSeconds(3600));

        assertThat(LeftoverPostmaster.judge(LeftoverPostmaster.PidFile.read(data).orElseThrow(), ProcessHandle.of(gone.pid())))
                .isEqualTo(LeftoverPostmaster.Verdict.DEAD);
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties(data))) {
            assertThat(select(server.postgres().getPort(), "select 1")).isEqualTo("1");
        }
    }

    @Test
    void aPostmasterPidWhosePidAnotherProgramHasNowIsRemoved() throws Exception {
        Path data = initialized("postgres");
        Process other = program("sleep", "60");
        writePidFile(data, other.pid(), Instant.now().minusSeconds(3600));

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties(data))) {
            assertThat(select(server.postgres().getPort(), "select 1")).isEqualTo("1");
            assertThat(other.isAlive()).as("the program with the pid is not touched").isTrue();
        }
    }

    @Test
    void aPostgresThatDidNotWriteThePidFileIsNotTouchedAndTheStartIsRefused() throws Exception {
        int otherPort = startBareServer(initialized("other"));
        long otherServer = postmasterPid(otherPort);
        Path data = initialized("postgres");
        // the pid is a PostgreSQL's, but one that started an hour after the server that wrote this file
        writePidFile(data, otherServer, Instant.now().minusSeconds(3600));
        String deadOwner = "pid 999999, started 2026-01-01T00:00:00Z";
        Files.writeString(work.resolve("postgres.lock"), deadOwner);

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(properties(data)))
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining("names process " + otherServer + ", which still runs")
                .hasMessageContaining("it cannot be told whether it is the PostgreSQL of this directory")
                .hasMessageContaining("delete " + data.resolve("postmaster.pid"));
        assertThat(select(otherPort, "select 1")).isEqualTo("1");
        assertThat(Files.readString(work.resolve("postgres.lock"))).as("given up as found").isEqualTo(deadOwner);
    }

    @Test
    void theWatchdogStopsItsServerWhenItsInputEndsAndOnlyTheServerThePidFileNames() throws Exception {
        Path data = initialized("postgres");
        long postmaster = postmasterPid(startBareServer(data));
        Process bystander = program("sleep", "60");

        PostmasterWatchdog.start(bystander.pid(), data.resolve("postmaster.pid")).orElseThrow().close();
        assertThat(bystander.isAlive()).as("postmaster.pid names another process: no signal").isTrue();
        assertThat(ProcessHandle.of(postmaster)).get().matches(ProcessHandle::isAlive);

        PostmasterWatchdog.start(postmaster, data.resolve("postmaster.pid")).orElseThrow().close(); // as the JVM's death
        awaitEnd(postmaster);
        assertThat(data.resolve("postmaster.pid")).as("a clean shutdown").doesNotExist();
    }

    /** A data directory initialized by a first run of the service's server, stopped cleanly. */
    private Path initialized(String name) {
        Path data = work.resolve(name);
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties(data))) {
            return data;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server on {@code data} that nobody owns, as a killed owner leaves it; returns its port. */
    private int startBareServer(Path data) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        bareServers.add(data);
        assertThat(run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", "-p " + port + " -F", "-w", "start"))
                .as("pg_ctl start").isZero();
        return port;
    }

    /**
     * Runs a PostgreSQL binary as zonky does: as root (containers), in a user namespace of its own, where it is
     * not root, since PostgreSQL refuses to run as root.
     */
    private static int run(String... command) throws Exception {
        List<String> line = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            line.addAll(List.of("unshare", "-U"));
        }
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", line)).isTrue();
        return process.exitValue();
    }

    private static void awaitEnd(long pid) {
        ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(pid)).as("process " + pid).isEmpty();
    }

    /** As PostgreSQL 14 writes it: pid, data directory, start time, port, socket directory, address, shmem key, status. */
    private static void writePidFile(Path data, long pid, Instant started) throws IOException {
        Files.writeString(data.resolve("postmaster.pid"), pid + "\n" + data + "\n" + started.getEpochSecond()
                + "\n5432\n/tmp\nlocalhost\n  1234567         1\nready   \n");
    }

    private Process program(String... command) throws IOException {
        Process process = new ProcessBuilder(command).start();
        programs.add(process);
        return process;
    }

    /** The parent of this connection's backend. */
    private static long postmasterPid(int port) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return ProcessHandle.of(rs.getLong(1)).orElseThrow().parent().orElseThrow().pid();
        }
    }

    private static String select(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
    }
}

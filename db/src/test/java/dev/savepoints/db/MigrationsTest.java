package dev.savepoints.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.db.test.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** The longest job id Kubernetes allows: a namespace (a DNS label, 63) and a name (a DNS subdomain, 253). */
    private static final String LONGEST_NAMESPACE = "n".repeat(63);
    private static final String LONGEST_NAME = "m".repeat(253);
    private static final String LONGEST_JOB_ID = LONGEST_NAMESPACE + "/" + LONGEST_NAME;

    @Test
    void everyColumnThatHoldsAJobIdTakesTheLongestNamespaceAndName() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("long_ids");
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).load().migrate();

        // found by name, so that a table added later is held to it too: ids (the aggregate's, the sagas'
        // association, the dead letters' sequence, the deadlines'), and namespace and name apart
        Map<String, Integer> limits = new LinkedHashMap<>();
        try (Connection connection = database.connect(); ResultSet rs = connection.createStatement().executeQuery("""
                select table_schema || '.' || table_name || '.' || column_name, character_maximum_length
                from information_schema.columns
                where table_schema in ('public', 'savepoints') and data_type in ('character varying', 'text')
                  and (column_name in ('aggregate_identifier', 'association_value', 'sequence_identifier',
                                       'task_instance', 'namespace', 'name')
                       or column_name = 'job_id' or column_name like '%\\_job\\_id' and column_name <> 'flink_job_id')
                order by 1""")) {
            while (rs.next()) {
                limits.put(rs.getString(1), (Integer) rs.getObject(2));
            }
        }
        assertThat(limits).containsKeys("public.domain_event_entry.aggregate_identifier",
                "public.snapshot_event_entry.aggregate_identifier", "public.association_value_entry.association_value",
                "public.dead_letter_entry.aggregate_identifier", "public.dead_letter_entry.sequence_identifier",
                "public.scheduled_tasks.task_instance", "public.flink_gateway_job.job_id", "public.qs_job_status.job_id",
                "public.qs_savepoint.job_id", "public.qs_audit.job_id", "savepoints.job_status.name",
                "savepoints.savepoint_history.namespace", "savepoints.audit_log.name");
        limits.forEach((column, limit) -> {
            int needed = column.endsWith(".namespace") ? LONGEST_NAMESPACE.length()
                    : column.endsWith(".name") ? LONGEST_NAME.length() : LONGEST_JOB_ID.length();
            assertThat(limit == null || limit >= needed).as(column + " holds " + limit + ", needs " + needed).isTrue();
        });

        // and they take it: the event stream's key, a snapshot, a saga's association
        try (Connection connection = database.connect()) {
            PreparedStatement event = connection.prepareStatement("""
                    insert into domain_event_entry (global_index, aggregate_identifier, sequence_number, type,
                        event_identifier, time_stamp, payload_type, payload)
                    values (nextval('domain_event_entry_seq'), ?, 0, 'FlinkJob', 'e1', '2026-01-01T00:00:00Z', 'T', '{}')""");
            event.setString(1, LONGEST_JOB_ID);
            event.executeUpdate();
            PreparedStatement snapshot = connection.prepareStatement("""
                    insert into snapshot_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                        time_stamp, payload_type, payload)
                    values (?, 0, 'FlinkJob', 's1', '2026-01-01T00:00:00Z', 'T', '{}')""");
            snapshot.setString(1, LONGEST_JOB_ID);
            snapshot.executeUpdate();
            PreparedStatement association = connection.prepareStatement("""
                    insert into association_value_entry (id, association_key, association_value, saga_id, saga_type)
                    values (nextval('association_value_entry_seq'), 'jobId', ?, 'saga', 'JobRunSaga')""");
            association.setString(1, LONGEST_JOB_ID);
            association.executeUpdate();
            ResultSet stored = connection.createStatement().executeQuery(
                    "select length(aggregate_identifier) from domain_event_entry");
            stored.next();
            assertThat(stored.getInt(1)).isEqualTo(317);
        }
    }

    @Test
    void wideningTheIdColumnsRewritesNoTableAndNoIndex() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("widen");
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).target("7").load()
                .migrate();
        String files = """
                select c.relname || ':' || c.relfilenode from pg_class c
                where c.relname like 'domain_event_entry%' or c.relname like 'snapshot_event_entry%'
                   or c.relname like 'association_value_entry%' or c.relname like 'dead_letter_entry%'
                order by 1""";
        List<String> before = rows(database, files);

        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).load().migrate();

        // a big event store is upgraded in an instant: the data files of the tables and their indexes stay as they are
        assertThat(before).hasSizeGreaterThan(8);
        assertThat(rows(database, files)).isEqualTo(before);
    }

    @Test
    void theHistoryRecordedBeforeV14GetsTheStatusWordsOfItsReasons() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("trigger_reason");
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).target("13").load()
                .migrate();
        try (Connection connection = database.connect()) {
            for (String reason : List.of("SCHEDULED", "GENERATION_BUMP", "REST", "JOB_CANCEL", "EXTERNAL")) {
                connection.createStatement().executeUpdate("insert into qs_savepoint (trigger_id, job_id, namespace, name,"
                        + " incarnation, reason, outcome, triggered_at, updated_at) values ('" + reason + "', 'ns/job',"
                        + " 'ns', 'job', 1, '" + reason + "', 'COMPLETED', now(), now())");
            }
        }

        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).load().migrate();

        assertThat(rows(database, "select reason || ': ' || trigger_reason from savepoints.savepoint_history order by 1"))
                .containsExactly("EXTERNAL: external", "GENERATION_BUMP: user requested", "JOB_CANCEL: job cancel",
                        "REST: user requested", "SCHEDULED: scheduled");
    }

    @Test
    void aStatusProjectedBeforeV18GetsItsIntervalFromTheLatestSettingsAndItsAgeFromItsColumns() throws Exception {
        PostgresTestDatabase.Database database = PostgresTestDatabase.newDatabase("staleness");
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).target("17").load()
                .migrate();
        try (Connection connection = database.connect()) {
            String[][] events = {
                    {"1", "ns/job", "0", "dev.savepoints.command.api.JobRegistered", "{\"settings\":{\"autoSavepointSeconds\":60}}"},
                    {"2", "ns/job", "1", "dev.savepoints.command.api.JobSubmitted", "{\"flinkJobId\":\"f\"}"},
                    {"3", "ns/job", "2", "dev.savepoints.command.api.JobSettingsChanged", "{\"settings\":{\"autoSavepointSeconds\":30}}"},
                    {"4", "ns/idle", "0", "dev.savepoints.command.api.JobRegistered", "{\"settings\":{\"autoSavepointSeconds\":null}}"}};
            for (String[] event : events) {
                connection.createStatement().executeUpdate("insert into domain_event_entry (global_index,"
                        + " aggregate_identifier, sequence_number, type, event_identifier, time_stamp, payload_type, payload)"
                        + " values (" + event[0] + ", '" + event[1] + "', " + event[2] + ", 'FlinkJob', 'e" + event[0]
                        + "', '2026-12-01T10:00:00Z', '" + event[3] + "', convert_to('" + event[4] + "', 'UTF8'))");
            }
            connection.createStatement().executeUpdate("insert into qs_job_status (job_id, incarnation, namespace, name,"
                    + " registered, state, savepoint_generation, restart_count, last_savepoint_time, deploy_time, status,"
                    + " registered_at, updated_at)"
                    + " values ('ns/job', 1, 'ns', 'job', true, 'Running', 1, 0, '2026-12-01T10:05:00Z',"
                    + " '2026-12-01T10:01:00Z', '{\"incarnation\":1}', now(), now()), ('ns/idle', 1, 'ns', 'idle', true, 'Cancelled', 0, 0,"
                    + " null, '2026-12-01T10:01:00Z', null, now(), now())");
        }

        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).load().migrate();

        assertThat(rows(database, "select name || ' ' || coalesce(savepoint_interval_seconds::text, '-') || ' '"
                + " || expected_to_run || ' ' || to_char(savepoint_age_from at time zone 'UTC', 'HH24:MI') || ' '"
                + " || coalesce(status::jsonb ->> 'savepointIntervalSeconds', '-') from qs_job_status order by name"))
                .containsExactly("idle - false 10:01 -", "job 30 true 10:05 30");
    }

    private static List<String> rows(PostgresTestDatabase.Database database, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect(); ResultSet rs = connection.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}

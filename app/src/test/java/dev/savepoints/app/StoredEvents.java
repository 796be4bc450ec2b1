package dev.savepoints.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.db.test.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the event store the way a user would with SQL: payloads as JSON text. */
public final class StoredEvents {

    public record Stored(long globalIndex, String type, Instant timestamp, JsonNode payload) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PostgresTestDatabase.Database database;

    public StoredEvents(PostgresTestDatabase.Database database) {
        this.database = database;
    }

    /** The events of one job, oldest first; {@code type} is the simple name of the event record. */
    public List<Stored> of(String aggregateId) {
        return query("""
                select global_index, payload_type, time_stamp, convert_from(payload, 'UTF8') from domain_event_entry
                where aggregate_identifier = ? order by sequence_number""", aggregateId);
    }

    public List<Stored> ofType(String aggregateId, String simpleName) {
        return of(aggregateId).stream().filter(e -> e.type().equals(simpleName)).toList();
    }

    public long count(String sql) {
        try (Connection connection = database.connect(); ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row {@code sql} returns, as text. */
    public List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect(); ResultSet rs = connection.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private List<Stored> query(String sql, String parameter) {
        List<Stored> events = new ArrayList<>();
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    events.add(new Stored(rs.getLong(1), type.substring(type.lastIndexOf('.') + 1),
                            Instant.parse(rs.getString(3)), JSON.readTree(rs.getString(4))));
                }
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }
}

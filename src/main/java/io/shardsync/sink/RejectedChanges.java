package io.shardsync.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.model.ChangeEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes a shard refuses for their data (a constraint, a value out of range or too long). They are
 * recorded in the shard's rejected_changes table, in the same transaction as the rest of the batch,
 * so one bad row neither stops the job nor disappears.
 */
final class RejectedChanges {
    private static final Logger LOG = LoggerFactory.getLogger(RejectedChanges.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RejectedChanges() {}

    /** SQL states of class 22 (data exception) and 23 (integrity constraint violation). */
    static boolean isRejection(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("22") || state.startsWith("23");
    }

    static void record(Connection connection, ChangeEvent change, SQLException error)
            throws SQLException {
        LOG.warn("Shard rejected {}: {}", change, error.getMessage());
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO "
                                + ControlTables.REJECTED
                                + " (table_name, row_key, op, version, binlog_file, error, row_image)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, change.database + "." + change.table);
            insert.setString(2, String.join(",", change.key));
            insert.setString(3, change.op.name());
            insert.setString(4, change.version.toString());
            insert.setString(5, change.binlogFile);
            insert.setString(6, error.getMessage());
            insert.setString(7, JSON.writeValueAsString(change.image()));
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a row image", e);
        }
    }
}

package io.shardsync.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.model.ChangeEvent;
import io.shardsync.sink.records.ConflictFormat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes a shard refuses for their data (a constraint, a value out of range or too long). They are
 * recorded in the shard's rejected_changes table, in the same transaction as the rest of the batch,
 * so one bad row neither stops the job nor disappears; the record names the shard transaction, so
 * the rejections of a transaction committed before a failure can be reported again.
 */
final class RejectedChanges {
    private static final Logger LOG = LoggerFactory.getLogger(RejectedChanges.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RejectedChanges() {}

    static Rejection record(
            Connection connection, String txnId, ChangeEvent change, SQLException error)
            throws SQLException {
        // the row image and the key go to rejected_changes and the conflict destinations, never
        // to the log: they may be personal data (and so may the message: "Duplicate entry 'x'")
        LOG.warn(
                "Shard rejected a change of {} (transaction {}, {}, version {}): SQL state {},"
                        + " error {}",
                change.qualifiedTable(),
                txnId,
                change.op,
                change.version,
                error.getSQLState(),
                error.getErrorCode());
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO "
                                + ControlTables.REJECTED
                                + " (txn_id, table_name, row_key, op, version, binlog_file, error,"
                                + " row_image) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, txnId);
            insert.setString(2, change.qualifiedTable());
            insert.setString(3, rowKey(change));
            insert.setString(4, change.op.name());
            insert.setString(5, change.version.toString());
            insert.setString(6, change.binlogFile);
            insert.setString(7, error.getMessage());
            insert.setString(8, JSON.writeValueAsString(ConflictFormat.bounded(change.image())));
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a row image", e);
        }
        return new Rejection(change, error.getMessage());
    }

    /** The rejections recorded when the given transaction was committed. */
    static List<Rejection> of(Connection connection, ShardTransaction transaction)
            throws SQLException {
        Map<String, ChangeEvent> byKey = new HashMap<>();
        for (ChangeEvent change : transaction.changes()) {
            byKey.put(change.qualifiedTable() + "/" + rowKey(change), change);
        }
        List<Rejection> rejections = new ArrayList<>();
        try (PreparedStatement select =
                connection.prepareStatement(
                        "SELECT table_name, row_key, error FROM "
                                + ControlTables.REJECTED
                                + " WHERE txn_id = ? ORDER BY id")) {
            select.setString(1, transaction.id());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ChangeEvent change = byKey.get(rs.getString(1) + "/" + rs.getString(2));
                    if (change != null) {
                        rejections.add(new Rejection(change, rs.getString(3)));
                    }
                }
            }
        }
        return rejections;
    }

    private static String rowKey(ChangeEvent change) {
        return ConflictFormat.boundedKey(change.key);
    }
}

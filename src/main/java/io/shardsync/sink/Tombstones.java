package io.shardsync.sink;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.RowVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The versions at which rows were deleted from a shard (idempotent mode), so a replayed older write
 * cannot bring a row back. A tombstone keeps the whole version, not only the version column: a row
 * deleted and written again at the same version value (a shard-key move away and back, a re-insert
 * that does not bump the version) is newer by its binlog position. Rows are named by the SHA-256 of
 * their table on the shard and their key, so a key of any length fits and a row moved between two
 * tables of a shard at one version is deleted from one and written to the other.
 */
final class Tombstones {
    private static final HexFormat HEX = HexFormat.of();

    private Tombstones() {}

    /** Records the deletes' versions; a tombstone only ever moves to a newer version. */
    static void record(Connection connection, List<ChangeEvent> deletes) throws SQLException {
        String newer = "VALUES(version_order) > version_order";
        String sql =
                "INSERT INTO "
                        + ControlTables.TOMBSTONES
                        + " (row_hash, table_name, source_id, version_order) VALUES "
                        + "(?, ?, ?, ?), ".repeat(deletes.size() - 1)
                        + "(?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                        + (" source_id = IF(" + newer + ", VALUES(source_id), source_id),")
                        + (" deleted_at = IF(" + newer + ", CURRENT_TIMESTAMP(3), deleted_at),")
                        + " version_order = GREATEST(version_order, VALUES(version_order))";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            for (ChangeEvent delete : deletes) {
                statement.setBytes(p++, hash(delete.targetRowKey()));
                statement.setString(p++, delete.targetTable());
                statement.setString(p++, delete.sourceId);
                statement.setBytes(p++, order(delete.version));
            }
            statement.executeUpdate();
        }
    }

    /** The writes not older than their row's tombstone (a replay must not resurrect a row). */
    static List<ChangeEvent> notDeletedLater(Connection connection, List<ChangeEvent> writes)
            throws SQLException {
        String sql =
                "SELECT row_hash, source_id, version_order FROM "
                        + ControlTables.TOMBSTONES
                        + " WHERE row_hash IN ("
                        + "?,".repeat(writes.size() - 1)
                        + "?)";
        Map<String, ChangeEvent> deletedAt = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < writes.size(); i++) {
                statement.setBytes(i + 1, hash(writes.get(i).targetRowKey()));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ChangeEvent tombstone = new ChangeEvent();
                    tombstone.sourceId = rs.getString(2);
                    tombstone.version = version(rs.getBytes(3));
                    deletedAt.put(HEX.formatHex(rs.getBytes(1)), tombstone);
                }
            }
        }
        if (deletedAt.isEmpty()) {
            return writes;
        }
        return writes.stream()
                .filter(
                        write -> {
                            ChangeEvent tombstone =
                                    deletedAt.get(HEX.formatHex(hash(write.targetRowKey())));
                            return tombstone == null
                                    || RowVersion.compareToDelete(
                                                    write.sourceId,
                                                    write.version,
                                                    tombstone.sourceId,
                                                    tombstone.version)
                                            > 0;
                        })
                .toList();
    }

    static byte[] hash(String rowKey) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(rowKey.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * A version as bytes that sort as the version does (value with its sign bit flipped, then the
     * binlog position), so the shard keeps the newest tombstone with {@code GREATEST}.
     */
    static byte[] order(RowVersion version) {
        return ByteBuffer.allocate(28)
                .putLong(version.value ^ Long.MIN_VALUE)
                .putLong(version.fileIndex)
                .putLong(version.position)
                .putInt(version.row)
                .array();
    }

    static RowVersion version(byte[] order) {
        ByteBuffer bytes = ByteBuffer.wrap(order);
        return new RowVersion(
                bytes.getLong() ^ Long.MIN_VALUE, bytes.getLong(), bytes.getLong(), bytes.getInt());
    }
}

package io.shardsync.sink;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes compacted changes to one shard as multi-row statements: per table, one {@code DELETE ...
 * WHERE key IN (...)} and one {@code INSERT ... ON DUPLICATE KEY UPDATE} per batch, deletes first.
 * Guarded statements (idempotent mode) only overwrite or delete a row of an older or equal version
 * and record tombstones, so a replayed older change never wins.
 */
public final class ShardStatements implements Serializable {
    /** MySQL allows 65535 placeholders per statement. */
    private static final int MAX_PARAMETERS = 60_000;

    private static final HexFormat HEX = HexFormat.of();

    private final Map<String, SyncTable> tables = new HashMap<>();
    private final boolean guarded;
    private final int batchSize;

    public ShardStatements(List<SyncTable> tables, boolean guarded, int batchSize) {
        for (SyncTable table : tables) {
            this.tables.put(table.qualifiedName(), table);
        }
        this.guarded = guarded;
        this.batchSize = batchSize;
    }

    /**
     * Applies the changes (at most one per row) in the connection's open transaction. When the
     * shard rejects the batch for its data, the changes are applied one by one and the rejected
     * ones are recorded under {@code txnId} instead; returns the rejections.
     */
    public List<Rejection> apply(
            Connection connection, String txnId, Collection<ChangeEvent> changes)
            throws SQLException {
        Savepoint batch = connection.setSavepoint();
        try {
            applyBatched(connection, changes);
            return List.of();
        } catch (SQLException e) {
            if (!RejectedChanges.isRejection(e)) {
                throw e;
            }
            connection.rollback(batch);
        }
        List<Rejection> rejections = new ArrayList<>();
        for (ChangeEvent change : changes) {
            Savepoint single = connection.setSavepoint();
            try {
                applyBatched(connection, List.of(change));
            } catch (SQLException e) {
                if (!RejectedChanges.isRejection(e)) {
                    throw e;
                }
                connection.rollback(single);
                rejections.add(RejectedChanges.record(connection, txnId, change, e));
            }
        }
        return rejections;
    }

    private void applyBatched(Connection connection, Collection<ChangeEvent> changes)
            throws SQLException {
        Map<String, List<ChangeEvent>> byTable =
                changes.stream()
                        .collect(
                                Collectors.groupingBy(
                                        ChangeEvent::qualifiedTable,
                                        LinkedHashMap::new,
                                        Collectors.toList()));
        for (Map.Entry<String, List<ChangeEvent>> entry : byTable.entrySet()) {
            SyncTable table = tables.get(entry.getKey());
            List<ChangeEvent> deletes = new ArrayList<>();
            List<ChangeEvent> upserts = new ArrayList<>();
            for (ChangeEvent change : entry.getValue()) {
                (change.op.writesRow() ? upserts : deletes).add(change);
            }
            int rowsPerStatement =
                    Math.max(1, Math.min(batchSize, MAX_PARAMETERS / table.columns().size()));
            for (List<ChangeEvent> batch : batches(deletes, rowsPerStatement)) {
                delete(connection, table, batch);
            }
            for (List<ChangeEvent> batch : batches(upserts, rowsPerStatement)) {
                upsert(connection, table, guarded ? notTombstoned(connection, batch) : batch);
            }
        }
    }

    private void delete(Connection connection, SyncTable table, List<ChangeEvent> batch)
            throws SQLException {
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(name(table)).append(" WHERE ");
        String rowCondition = keyCondition(table);
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "(" : " OR (").append(rowCondition).append(')');
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 1;
            int[] keyIndexes = table.keyIndexes();
            for (ChangeEvent change : batch) {
                for (int k = 0; k < keyIndexes.length; k++) {
                    p = bind(statement, p, table.columns().get(keyIndexes[k]), change.key[k]);
                }
                if (guarded) {
                    p = bind(statement, p, versionColumn(table), versionText(table, change));
                }
            }
            statement.executeUpdate();
        }
        if (guarded) {
            recordTombstones(connection, batch);
        }
    }

    private String keyCondition(SyncTable table) {
        StringBuilder condition = new StringBuilder();
        for (int k : table.keyIndexes()) {
            condition.append(condition.length() == 0 ? "" : " AND ");
            condition.append(quote(table.columns().get(k).name())).append(" = ?");
        }
        if (guarded) {
            condition.append(" AND ").append(quote(versionColumn(table).name())).append(" <= ?");
        }
        return condition.toString();
    }

    private void upsert(Connection connection, SyncTable table, List<ChangeEvent> batch)
            throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        List<Column> columns = table.columns();
        String tuple = "(" + "?,".repeat(columns.size() - 1) + "?)";
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(name(table)).append(" (");
        sql.append(columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")));
        sql.append(") VALUES ").append(tuple).append((", " + tuple).repeat(batch.size() - 1));
        sql.append(" ON DUPLICATE KEY UPDATE ").append(assignments(table, guarded));
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (ChangeEvent change : batch) {
                for (int c = 0; c < columns.size(); c++) {
                    p = bind(statement, p, columns.get(c), change.after[c]);
                }
            }
            statement.executeUpdate();
        }
    }

    /**
     * Assignments of the upsert. Guarded ones compare versions; MySQL evaluates them left to right,
     * so the version column is assigned last, after every other column compared the old version.
     */
    public static String assignments(SyncTable table, boolean guarded) {
        List<String> parts = new ArrayList<>();
        String version = guarded ? quote(versionColumn(table).name()) : null;
        for (int c = 0; c < table.columns().size(); c++) {
            if (c == table.versionIndex() && guarded) {
                continue;
            }
            String column = quote(table.columns().get(c).name());
            parts.add(
                    guarded
                            ? column
                                    + " = IF(VALUES("
                                    + version
                                    + ") >= "
                                    + version
                                    + ", VALUES("
                                    + column
                                    + "), "
                                    + column
                                    + ")"
                            : column + " = VALUES(" + column + ")");
        }
        if (guarded) {
            parts.add(version + " = GREATEST(" + version + ", VALUES(" + version + "))");
        }
        return String.join(", ", parts);
    }

    private void recordTombstones(Connection connection, List<ChangeEvent> batch)
            throws SQLException {
        String sql =
                "INSERT INTO "
                        + ControlTables.TOMBSTONES
                        + " (row_key, version) VALUES "
                        + "(?, ?), ".repeat(batch.size() - 1)
                        + "(?, ?) ON DUPLICATE KEY UPDATE version = GREATEST(version, VALUES(version)),"
                        + " deleted_at = CURRENT_TIMESTAMP(3)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            for (ChangeEvent change : batch) {
                statement.setString(p++, change.rowKey());
                statement.setLong(p++, change.version.value);
            }
            statement.executeUpdate();
        }
    }

    /** Drops upserts of rows deleted at an equal or newer version (a replay must not resurrect). */
    private List<ChangeEvent> notTombstoned(Connection connection, List<ChangeEvent> batch)
            throws SQLException {
        String sql =
                "SELECT row_key, version FROM "
                        + ControlTables.TOMBSTONES
                        + " WHERE row_key IN ("
                        + "?,".repeat(batch.size() - 1)
                        + "?)";
        Map<String, Long> tombstones = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < batch.size(); i++) {
                statement.setString(i + 1, batch.get(i).rowKey());
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    tombstones.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        if (tombstones.isEmpty()) {
            return batch;
        }
        return batch.stream()
                .filter(
                        e -> {
                            Long deletedAt = tombstones.get(e.rowKey());
                            return deletedAt == null || e.version.value > deletedAt;
                        })
                .toList();
    }

    private static int bind(PreparedStatement statement, int p, Column column, String value)
            throws SQLException {
        if (value == null) {
            statement.setNull(p, Types.VARCHAR);
            return p + 1;
        }
        switch (column.binding()) {
            case HEX_BYTES -> statement.setBytes(p, HEX.parseHex(value));
            case BIT -> statement.setLong(p, Long.parseUnsignedLong(value));
            default -> statement.setString(p, value);
        }
        return p + 1;
    }

    private static Column versionColumn(SyncTable table) {
        return table.columns().get(table.versionIndex());
    }

    private static String versionText(SyncTable table, ChangeEvent change) {
        return change.image()[table.versionIndex()];
    }

    public static String name(SyncTable table) {
        return quote(table.database()) + "." + quote(table.table());
    }

    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> batches = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            batches.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return batches;
    }
}

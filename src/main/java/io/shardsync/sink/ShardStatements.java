package io.shardsync.sink;

import static io.shardsync.sink.RowTuples.bind;
import static io.shardsync.sink.RowTuples.bindTuples;
import static io.shardsync.sink.RowTuples.columnList;
import static io.shardsync.sink.RowTuples.tupleIn;

import io.shardsync.jdbc.Identifiers;
import io.shardsync.jdbc.SqlErrors;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes compacted changes to one shard as multi-row statements: per table and batch, one {@code
 * DELETE} of the deleted rows' keys and one {@code INSERT ... ON DUPLICATE KEY UPDATE} of the
 * written rows (for tables with secondary UNIQUE keys: a delete, a displacement and a plain insert,
 * see {@link #writeAroundUniqueKeys}), deletes first, each within the shard's {@code
 * max_allowed_packet}. Guarded statements (idempotent mode) only overwrite or delete a row of an
 * older or equal version and record tombstones, so a replayed older change never wins. Generated
 * columns are never written.
 */
public final class ShardStatements {
    private static final Logger LOG = LoggerFactory.getLogger(ShardStatements.class);

    /** MySQL allows 65535 placeholders per statement. */
    private static final int MAX_PARAMETERS = 60_000;

    /** The tables written on this shard, by name there. */
    private final Map<String, SyncTable> targets = new HashMap<>();

    /** The tables written on this shard, by source table. */
    private final Map<String, List<SyncTable>> bySource = new HashMap<>();

    private final ShardSchemas schemas = new ShardSchemas();
    private final boolean guarded;
    private final int batchSize;

    /** The shard's max_allowed_packet; 0 until the first statement reads it. */
    private volatile long maxAllowedPacket;

    /**
     * Statements of the synced tables on the shard at position {@code shard} of the config's
     * shards, which target names may name; a table may be given twice, by a reshard's two
     * placements' rules, and is written to the tables of both.
     */
    public ShardStatements(List<SyncTable> tables, int shard, boolean guarded, int batchSize) {
        for (SyncTable table : tables) {
            List<SyncTable> own =
                    bySource.computeIfAbsent(table.qualifiedName(), t -> new ArrayList<>());
            for (SyncTable target : table.targetsOn(shard)) {
                targets.putIfAbsent(target.qualifiedName(), target);
                if (own.stream().noneMatch(t -> t.qualifiedName().equals(target.qualifiedName()))) {
                    own.add(target); // once per source table, though merged tables share it
                }
            }
        }
        this.guarded = guarded;
        this.batchSize = batchSize;
    }

    /** The tables a synced table is written to on this shard, as the job was built with it. */
    List<SyncTable> targetsOf(String sourceTable) {
        return bySource.get(sourceTable);
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
            if (!SqlErrors.isRejection(e)) {
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
                if (!SqlErrors.isRejection(e)) {
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
                                        ChangeEvent::targetTable,
                                        LinkedHashMap::new,
                                        Collectors.toList()));
        long maxBytes = statementBytes(connection);
        for (Map.Entry<String, List<ChangeEvent>> entry : byTable.entrySet()) {
            ShardSchemas.OnShard onShard = schemas.current(connection, targets.get(entry.getKey()));
            Map<List<String>, List<ChangeEvent>> byColumns = new LinkedHashMap<>();
            for (ChangeEvent change : entry.getValue()) {
                if (!onShard.emptiedAfter(change)) {
                    byColumns
                            .computeIfAbsent(
                                    change.columns == null
                                            ? List.of()
                                            : Arrays.asList(change.columns),
                                    c -> new ArrayList<>())
                            .add(change);
                }
            }
            for (List<ChangeEvent> alike : byColumns.values()) {
                ShardSchemas.View view = onShard.view(alike.get(0).columns);
                applyToTable(connection, view.table(), view.project(alike), maxBytes);
            }
        }
    }

    /** Writes changes whose images have the table's columns, deletes first. */
    private void applyToTable(
            Connection connection, SyncTable table, List<ChangeEvent> changes, long maxBytes)
            throws SQLException {
        List<ChangeEvent> deletes = new ArrayList<>();
        List<ChangeEvent> upserts = new ArrayList<>();
        for (ChangeEvent change : changes) {
            (change.op.writesRow() ? upserts : deletes).add(change);
        }
        // a row binds at most all its columns twice (a displacement by unique key and key) or
        // four tombstone values
        int rowsPerStatement =
                Math.max(1, Math.min(batchSize, MAX_PARAMETERS / (2 * table.columns().size() + 4)));
        for (List<ChangeEvent> batch :
                StatementSize.batches(deletes, rowsPerStatement, maxBytes, c -> c.key)) {
            delete(connection, table, batch);
            if (guarded) {
                Tombstones.record(connection, batch);
            }
        }
        for (List<ChangeEvent> batch :
                StatementSize.batches(upserts, rowsPerStatement, maxBytes, c -> c.after)) {
            if (batch.size() == 1) {
                StatementSize.requireFits(batch.get(0).after, table.columns(), maxBytes);
            }
            List<ChangeEvent> rows =
                    guarded ? Tombstones.notDeletedLater(connection, batch) : batch;
            if (rows.isEmpty()) {
                continue;
            }
            if (table.uniqueKeys().isEmpty()) {
                insert(connection, table, rows, true);
            } else {
                writeAroundUniqueKeys(connection, table, rows);
            }
        }
    }

    /**
     * Writes rows of a table with secondary UNIQUE keys, where {@code ON DUPLICATE KEY UPDATE}
     * would update whichever row holds a unique value, not the row written. The rows are deleted
     * (guarded: only where older) and inserted anew, so a unique value handed between them inside
     * the batch moves with them. Another row that still holds one of their unique values is stale:
     * the source, which has the same unique keys, had already moved it off that value, and that
     * change of it is on its way to this shard (from another subtask, or the same checkpoint's
     * transaction of one), so it is deleted here and written again by that change.
     */
    private void writeAroundUniqueKeys(
            Connection connection, SyncTable table, List<ChangeEvent> rows) throws SQLException {
        delete(connection, table, rows);
        List<ChangeEvent> absent = guarded ? absent(connection, table, rows) : rows;
        if (absent.isEmpty()) {
            return;
        }
        for (int[] uniqueKey : table.uniqueKeys()) {
            displace(connection, table, uniqueKey, absent);
        }
        insert(connection, table, absent, false);
    }

    /**
     * The rows the shard does not hold (after a guarded delete, those it holds are newer). Rows are
     * kept only while a restored job replays changes the shard already has, so they are looked for
     * one by one only then.
     */
    private List<ChangeEvent> absent(Connection connection, SyncTable table, List<ChangeEvent> rows)
            throws SQLException {
        if (count(connection, table, rows) == 0) {
            return rows;
        }
        List<ChangeEvent> absent = new ArrayList<>();
        for (ChangeEvent row : rows) {
            if (count(connection, table, List.of(row)) == 0) {
                absent.add(row);
            }
        }
        return absent;
    }

    private static long count(Connection connection, SyncTable table, List<ChangeEvent> rows)
            throws SQLException {
        int[] key = table.keyIndexes();
        String sql =
                "SELECT COUNT(*) FROM "
                        + Identifiers.name(table)
                        + " WHERE "
                        + tupleIn(table, key, rows.size());
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bindTuples(statement, 1, table, key, rows);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Deletes the rows other than {@code rows} that hold one of their values of a unique key. */
    private void displace(
            Connection connection, SyncTable table, int[] uniqueKey, List<ChangeEvent> rows)
            throws SQLException {
        List<ChangeEvent> holding =
                rows.stream()
                        .filter(
                                row -> {
                                    for (int c : uniqueKey) {
                                        if (row.after[c] == null) {
                                            return false; // NULLs never collide
                                        }
                                    }
                                    return true;
                                })
                        .toList();
        if (holding.isEmpty()) {
            return;
        }
        int[] key = table.keyIndexes();
        String sql =
                "DELETE FROM "
                        + Identifiers.name(table)
                        + " WHERE "
                        + tupleIn(table, uniqueKey, holding.size())
                        + " AND NOT "
                        + tupleIn(table, key, rows.size());
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = bindTuples(statement, 1, table, uniqueKey, holding);
            bindTuples(statement, p, table, key, rows);
            int displaced = statement.executeUpdate();
            if (displaced > 0) {
                LOG.debug(
                        "{}: {} stale rows gave up unique values",
                        table.qualifiedName(),
                        displaced);
            }
        }
    }

    private void delete(Connection connection, SyncTable table, List<ChangeEvent> batch)
            throws SQLException {
        StringBuilder sql =
                new StringBuilder("DELETE FROM ").append(Identifiers.name(table)).append(" WHERE ");
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
    }

    /**
     * A row's key, and when guarded a version not newer than the change's. A NULL version is older
     * than every other, so a row at NULL gives way to any change and a NULL change only to NULL.
     */
    private String keyCondition(SyncTable table) {
        StringBuilder condition = new StringBuilder();
        for (int k : table.keyIndexes()) {
            condition.append(condition.length() == 0 ? "" : " AND ");
            condition.append(Identifiers.quote(table.columns().get(k).name())).append(" = ?");
        }
        if (guarded) {
            String version = Identifiers.quote(versionColumn(table).name());
            condition.append(" AND (").append(version).append(" IS NULL OR ");
            condition.append(version).append(" <= ?)");
        }
        return condition.toString();
    }

    /** A multi-row INSERT of the written columns, optionally updating rows that exist. */
    private void insert(
            Connection connection, SyncTable table, List<ChangeEvent> batch, boolean upsert)
            throws SQLException {
        int[] written = table.writtenColumns();
        String tuple = "(" + "?,".repeat(written.length - 1) + "?)";
        StringBuilder sql =
                new StringBuilder("INSERT INTO ").append(Identifiers.name(table)).append(" (");
        sql.append(columnList(table, written));
        sql.append(") VALUES ").append(tuple).append((", " + tuple).repeat(batch.size() - 1));
        if (upsert) {
            sql.append(" ON DUPLICATE KEY UPDATE ").append(assignments(table, guarded));
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            bindTuples(statement, 1, table, written, batch);
            statement.executeUpdate();
        }
    }

    /**
     * Assignments of the upsert. Guarded ones compare versions (a NULL version is older than any
     * other); MySQL evaluates them left to right, so the version column is assigned last, after
     * every other column compared the old version.
     */
    public static String assignments(SyncTable table, boolean guarded) {
        List<String> parts = new ArrayList<>();
        String version = guarded ? Identifiers.quote(versionColumn(table).name()) : null;
        String newer =
                guarded
                        ? "(" + version + " IS NULL OR VALUES(" + version + ") >= " + version + ")"
                        : null;
        for (int c : table.writtenColumns()) {
            if (c == table.versionIndex() && guarded) {
                continue;
            }
            String column = Identifiers.quote(table.columns().get(c).name());
            parts.add(
                    guarded
                            ? column
                                    + " = IF("
                                    + newer
                                    + ", VALUES("
                                    + column
                                    + "), "
                                    + column
                                    + ")"
                            : column + " = VALUES(" + column + ")");
        }
        if (guarded) {
            parts.add(version + " = IF(" + newer + ", VALUES(" + version + "), " + version + ")");
        }
        return String.join(", ", parts);
    }

    /** The shard's largest statement, read once (the server reads it only for new connections). */
    private long statementBytes(Connection connection) throws SQLException {
        if (maxAllowedPacket == 0) {
            maxAllowedPacket = StatementSize.maxAllowedPacket(connection);
        }
        return maxAllowedPacket;
    }

    private static Column versionColumn(SyncTable table) {
        return table.columns().get(table.versionIndex());
    }

    private static String versionText(SyncTable table, ChangeEvent change) {
        return change.image()[table.versionIndex()];
    }
}

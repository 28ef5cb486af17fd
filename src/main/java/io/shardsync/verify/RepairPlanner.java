package io.shardsync.verify;

import io.shardsync.jdbc.Identifiers;
import io.shardsync.model.SyncTable;
import io.shardsync.scan.KeyScope;
import io.shardsync.scan.TableSql;
import io.shardsync.sink.ShardStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns verify differences into the statements that make each shard equal the source, reading each
 * row's current values at the source: a missing or different row is upserted on the shard it
 * belongs on, a copy on a wrong shard or not at the source (any more) is deleted. Upserts of a
 * table with a version column carry the version guard in either delivery mode, so a repair never
 * overwrites a newer version the stream wrote since it read the source.
 */
final class RepairPlanner {
    /** What planning reads at the source, now. */
    interface SourceRows {
        /**
         * Every column of a row as an SQL literal; empty when the row is gone or the table's {@code
         * where} does not keep it.
         */
        List<String> literals(TableSql sql, List<String> key) throws SQLException;

        /** The index of a row's shard in a placement of {@code shards}; null: on no shard. */
        Integer shardOf(TableSql sql, List<String> key, int shards) throws SQLException;

        /** The rows of the source server behind {@code c}. */
        static SourceRows of(Connection c) {
            return new SourceRows() {
                @Override
                public List<String> literals(TableSql sql, List<String> key) throws SQLException {
                    return ChunkComparison.literals(
                            c, sql, KeyScope.keys(sql, List.of(key)).and(sql.kept()));
                }

                @Override
                public Integer shardOf(TableSql sql, List<String> key, int shards)
                        throws SQLException {
                    KeyScope one = KeyScope.keys(sql, List.of(key)).and(sql.kept());
                    try (PreparedStatement statement =
                            c.prepareStatement(
                                    "SELECT "
                                            + sql.shardOf(shards)
                                            + " FROM "
                                            + sql.name()
                                            + " WHERE "
                                            + one.condition())) {
                        one.bind(statement);
                        try (ResultSet rs = statement.executeQuery()) {
                            if (!rs.next()) {
                                return null;
                            }
                            int shard = rs.getInt(1);
                            return rs.wasNull() ? null : shard; // a map value on no shard
                        }
                    }
                }
            };
        }
    }

    private final SourceRows source;
    private final Map<String, TableSql> tables = new LinkedHashMap<>();
    private final List<String> shardNames;

    /** Plans for the serving shards named {@code shardNames}, reading rows from {@code source}. */
    RepairPlanner(SourceRows source, List<SyncTable> tables, List<String> shardNames) {
        this.source = source;
        this.shardNames = shardNames;
        for (SyncTable table : tables) {
            this.tables.put(table.qualifiedName(), new TableSql(table));
        }
    }

    /** Statements per shard name, in the order of the differences. */
    Map<String, List<String>> plan(List<Difference> differences) throws SQLException {
        Map<String, List<String>> plan = new LinkedHashMap<>();
        shardNames.forEach(name -> plan.put(name, new ArrayList<>()));
        for (Difference d : differences) {
            if (d.kind() == Difference.Kind.SCHEMA) {
                continue; // a column, not a row: the shard's table needs the source's DDL
            }
            TableSql sql = checked(d);
            List<String> row = source.literals(sql, d.key());
            // a row gone at the source since verify: no copy of it may stay
            String right = row.isEmpty() ? null : rightShard(sql, d);
            for (String shard : d.shards()) {
                if (!shard.equals(right)) {
                    plan.get(shard).add(delete(sql, d.key()));
                }
            }
            if (right != null && d.kind() != Difference.Kind.EXTRA) {
                plan.get(right).add(upsert(sql, row));
            }
        }
        return plan;
    }

    /** The difference's table, refused with the reason when the report does not fit the config. */
    private TableSql checked(Difference d) {
        String otherConfig = "; was it written for another config?";
        TableSql sql = tables.get(d.table());
        if (sql == null) {
            throw new IllegalArgumentException(
                    "the report names table " + d.table() + ", not in the config" + otherConfig);
        }
        for (String shard : d.shards()) {
            if (!shardNames.contains(shard)) {
                throw new IllegalArgumentException(
                        "the report names shard '"
                                + shard
                                + "', not in the config (shards: "
                                + shardNames
                                + ")"
                                + otherConfig);
            }
        }
        if (d.key().size() != sql.keyColumns().size()) {
            throw new IllegalArgumentException(
                    "the report's key "
                            + d.key()
                            + " of "
                            + d.table()
                            + " does not fit its primary key ("
                            + sql.keyList()
                            + ")"
                            + otherConfig);
        }
        return sql;
    }

    /**
     * The shard the row belongs on (for a table on every shard: the one the difference names); null
     * for a row on no shard.
     */
    private String rightShard(TableSql sql, Difference d) throws SQLException {
        if (!sql.isSharded()
                || d.kind() == Difference.Kind.MISSING
                || d.kind() == Difference.Kind.DIFFERENT) {
            return d.shards().get(0);
        }
        Integer shard = source.shardOf(sql, d.key(), shardNames.size());
        return shard == null ? null : shardNames.get(shard);
    }

    private String upsert(TableSql sql, List<String> literals) {
        String columns =
                sql.table().columns().stream()
                        .map(c -> Identifiers.quote(c.name()))
                        .collect(Collectors.joining(", "));
        return "INSERT INTO "
                + sql.name()
                + " ("
                + columns
                + ") VALUES ("
                + String.join(", ", literals)
                + ") ON DUPLICATE KEY UPDATE "
                + ShardStatements.assignments(sql.table(), sql.table().versionIndex() >= 0)
                + ";";
    }

    private static String delete(TableSql sql, List<String> key) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            values.add(sql.keyLiteral(i, key.get(i)));
        }
        return "DELETE FROM "
                + sql.name()
                + " WHERE ("
                + sql.keyList()
                + ") = ("
                + String.join(", ", values)
                + ");";
    }
}

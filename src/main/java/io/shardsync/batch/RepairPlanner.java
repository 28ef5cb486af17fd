package io.shardsync.batch;

import io.shardsync.config.DeliveryMode;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.model.SyncTable;
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
 * belongs on, a copy on a wrong shard or not at the source is deleted. Upserts carry the version
 * guard in idempotent mode, so a repair never overwrites a newer version the stream wrote since.
 */
final class RepairPlanner {
    private final Connection source;
    private final Map<String, TableSql> tables = new LinkedHashMap<>();
    private final List<String> shardNames;
    private final boolean guarded;

    RepairPlanner(Connection source, List<SyncTable> tables, JobConfig config) {
        this.source = source;
        this.shardNames = ShardConfig.names(config.shards());
        this.guarded = config.delivery() == DeliveryMode.IDEMPOTENT;
        for (SyncTable table : tables) {
            this.tables.put(table.qualifiedName(), TableSql.of(table, config));
        }
    }

    /** Statements per shard name, in the order of the differences. */
    Map<String, List<String>> plan(List<Difference> differences) throws SQLException {
        Map<String, List<String>> plan = new LinkedHashMap<>();
        shardNames.forEach(name -> plan.put(name, new ArrayList<>()));
        for (Difference d : differences) {
            TableSql sql = tables.get(d.table());
            if (sql == null) {
                throw new IllegalArgumentException(
                        "report names table " + d.table() + ", not in the config");
            }
            List<String> row =
                    ChunkComparison.literals(source, sql, KeyScope.keys(sql, List.of(d.key())));
            String write = row.isEmpty() ? delete(sql, d.key()) : upsert(sql, row);
            String right = rightShard(sql, d);
            for (String shard : d.shards()) {
                if (!shard.equals(right)) {
                    plan.get(shard).add(delete(sql, d.key()));
                }
            }
            if (d.kind() != Difference.Kind.EXTRA) {
                plan.get(right).add(write);
            }
        }
        return plan;
    }

    /** The shard the row belongs on (for a table on every shard: the one the difference names). */
    private String rightShard(TableSql sql, Difference d) throws SQLException {
        if (sql.shardOf() == null
                || d.kind() == Difference.Kind.MISSING
                || d.kind() == Difference.Kind.DIFFERENT) {
            return d.shards().get(0);
        }
        KeyScope one = KeyScope.keys(sql, List.of(d.key()));
        try (PreparedStatement statement =
                source.prepareStatement(
                        "SELECT "
                                + sql.shardOf()
                                + " FROM "
                                + sql.name()
                                + " WHERE "
                                + one.condition())) {
            one.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? shardNames.get(rs.getInt(1)) : null;
            }
        }
    }

    private String upsert(TableSql sql, List<String> literals) {
        String columns =
                sql.table().columns().stream()
                        .map(c -> ShardStatements.quote(c.name()))
                        .collect(Collectors.joining(", "));
        return "INSERT INTO "
                + sql.name()
                + " ("
                + columns
                + ") VALUES ("
                + String.join(", ", literals)
                + ") ON DUPLICATE KEY UPDATE "
                + ShardStatements.assignments(sql.table(), guarded)
                + ";";
    }

    private static String delete(TableSql sql, List<String> key) {
        String values =
                key.stream().map(RepairPlanner::quoteText).collect(Collectors.joining(", "));
        return "DELETE FROM " + sql.name() + " WHERE (" + sql.keyList() + ") = (" + values + ");";
    }

    /** A key value as an SQL string literal (MySQL converts it to the column's type). */
    private static String quoteText(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}

package io.shardsync.verify;

import io.shardsync.config.ShardConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.Column;
import io.shardsync.model.RowKeys;
import io.shardsync.model.SyncTable;
import io.shardsync.scan.TablePlaces;
import io.shardsync.scan.TableSql;
import io.shardsync.source.InformationSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table's columns as written (at the source, or as its entry transforms them) against its columns
 * on each table of it on the shards, as they are now (a schema change the job ignored leaves them
 * apart): each column not on both sides with one type is a {@code SCHEMA} difference, and the rows
 * are compared on the columns every shard shares with the source. When a key, shard-key or version
 * column is not shared, the rows cannot be compared.
 */
final class SchemaComparison {
    /**
     * The table's rows at the source on the columns shared with the shards (null: rows not
     * comparable), and what differs.
     */
    record Result(TableSql shared, List<Difference> differences) {}

    private SchemaComparison() {}

    /**
     * A table (or the tables merged into one target: their rows together, named by the first)
     * against each table of it on the shards, {@code namedShards} being the config's shards, whose
     * positions target names use.
     */
    static Result of(List<ShardConfig> shards, List<String> namedShards, List<SyncTable> merged)
            throws SQLException {
        SyncTable table = merged.get(0).written();
        List<Difference> differences = new ArrayList<>();
        List<Column> shared = new ArrayList<>(table.columns());
        TablePlaces places =
                new TablePlaces(new TableSql(table), ShardConfig.names(shards), namedShards);
        for (int place = 0; place < places.size(); place++) {
            SyncTable target = places.at(place).table();
            Map<String, Column> onShard = new LinkedHashMap<>();
            try (Connection connection = Connections.shard(shards.get(places.shard(place)))) {
                for (Column column :
                        InformationSchema.columns(connection, target.database(), target.table())) {
                    onShard.put(column.name().toLowerCase(Locale.ROOT), column);
                }
            }
            String label = places.label(place);
            for (Column column : table.columns()) {
                Column there = onShard.remove(column.name().toLowerCase(Locale.ROOT));
                if (there == null || !there.columnType().equals(column.columnType())) {
                    differences.add(difference(table, label, column.name()));
                    shared.remove(column);
                }
            }
            onShard.values()
                    .forEach(extra -> differences.add(difference(table, label, extra.name())));
        }
        SyncTable comparable = differences.isEmpty() ? table : restricted(table, shared);
        return new Result(
                comparable == null ? null : TableSql.atSources(merged, comparable), differences);
    }

    /** The tables whose rows can be compared, each on the columns source and shards share. */
    static List<TableSql> comparable(
            List<ShardConfig> shards, List<String> namedShards, List<SyncTable> tables)
            throws SQLException {
        List<TableSql> comparable = new ArrayList<>();
        for (List<SyncTable> merged : RowKeys.groups(tables)) {
            TableSql shared = of(shards, namedShards, merged).shared();
            if (shared != null) {
                comparable.add(shared);
            }
        }
        return comparable;
    }

    private static Difference difference(SyncTable table, String place, String column) {
        return new Difference(
                table.qualifiedName(),
                Difference.Kind.SCHEMA,
                List.of(),
                List.of(place),
                List.of(column));
    }

    /**
     * The table on the given columns; null when one of its key or role columns is not among them.
     */
    private static SyncTable restricted(SyncTable table, List<Column> columns) {
        int[] key = new int[table.keyIndexes().length];
        for (int k = 0; k < key.length; k++) {
            key[k] = columns.indexOf(table.columns().get(table.keyIndexes()[k]));
            if (key[k] < 0) {
                return null;
            }
        }
        int shardKey = indexIn(columns, table, table.shardKeyIndex());
        int version = indexIn(columns, table, table.versionIndex());
        int tableKey = indexIn(columns, table, table.layout().tableKeyIndex());
        if (shardKey == -2 || version == -2 || tableKey == -2) {
            return null;
        }
        return new SyncTable(
                table.database(),
                table.table(),
                List.copyOf(columns),
                key,
                shardKey,
                table.shardRule(),
                version,
                List.of(),
                table.createStatement(),
                table.schemaChanges(),
                table.where(),
                table.layout().withTableKeyIndex(tableKey));
    }

    /** A role column's index among the columns: -1 for no such role, -2 when it is not there. */
    private static int indexIn(List<Column> columns, SyncTable table, int index) {
        if (index < 0) {
            return -1;
        }
        int at = columns.indexOf(table.columns().get(index));
        return at < 0 ? -2 : at;
    }
}

package io.shardsync.testing;

import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import java.util.List;

/** Synced tables for tests that need no source: keyed by their first column, without version. */
public final class Tables {
    private Tables() {}

    /** {@code shardKeyIndex} -1: a table on every shard. */
    public static SyncTable keyedByFirstColumn(
            String database,
            String table,
            List<Column> columns,
            int shardKeyIndex,
            ShardRule rule) {
        return new SyncTable(
                database,
                table,
                columns,
                new int[] {0},
                shardKeyIndex,
                rule,
                -1,
                List.of(),
                "",
                SchemaChanges.of(SchemaChangePolicy.EVOLVE));
    }

    /** The table written to the shards as {@code layout} says. */
    public static SyncTable laidOut(SyncTable table, TargetLayout layout) {
        return new SyncTable(
                table.database(),
                table.table(),
                table.columns(),
                table.keyIndexes(),
                table.shardKeyIndex(),
                table.shardRule(),
                table.versionIndex(),
                table.uniqueKeys(),
                table.createStatement(),
                table.schemaChanges(),
                table.where(),
                layout);
    }
}

package io.shardsync.testing;

import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import java.util.List;

/** Synced tables for tests that need no source: keyed by their first column. */
public final class Tables {
    private Tables() {}

    /** {@code shardKeyIndex} -1: a table on every shard; without a version column. */
    public static SyncTable keyedByFirstColumn(
            String database,
            String table,
            List<Column> columns,
            int shardKeyIndex,
            ShardRule rule) {
        return versioned(database, table, columns, shardKeyIndex, rule, -1);
    }

    /** As {@link #keyedByFirstColumn}, with the column at {@code versionIndex} as the version. */
    public static SyncTable versioned(
            String database,
            String table,
            List<Column> columns,
            int shardKeyIndex,
            ShardRule rule,
            int versionIndex) {
        return new SyncTable(
                database,
                table,
                columns,
                new int[] {0},
                shardKeyIndex,
                rule,
                versionIndex,
                List.of(),
                "",
                SchemaChanges.of(SchemaChangePolicy.EVOLVE));
    }
}

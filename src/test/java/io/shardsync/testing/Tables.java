package io.shardsync.testing;

import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
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
}

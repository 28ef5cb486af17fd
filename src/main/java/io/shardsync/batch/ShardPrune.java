package io.shardsync.batch;

import io.shardsync.config.ShardConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.SyncTable;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Deletes from shards the rows a placement does not keep there: the moved rows left on the old
 * shards after a reshard (cleanup), or the copies on the new shards (rollback). Works through each
 * shard in primary-key chunks, one short transaction each, so the job's writes are never blocked
 * for long. Runs only once the job no longer writes the placement being pruned.
 */
final class ShardPrune {
    private static final int CHUNK_ROWS = 2_000;

    private final List<String> keptNames;
    private final PrintStream out;

    /** {@code kept} is the placement whose rows stay. */
    ShardPrune(List<ShardConfig> kept, PrintStream out) {
        this.keptNames = ShardConfig.names(kept);
        this.out = out;
    }

    /** Prunes every table on every shard; returns the number of rows deleted. */
    long prune(List<ShardConfig> shards, List<SyncTable> tables) throws SQLException {
        long deleted = 0;
        for (ShardConfig shard : shards) {
            try (Connection c = Connections.shard(shard)) {
                for (SyncTable table : tables) {
                    TableSql sql = new TableSql(table, keptNames, List.of());
                    long rows = prune(c, sql, notKept(sql, keptNames.indexOf(shard.name())));
                    out.printf(
                            "%s: deleted %d rows of %s%n",
                            shard.name(), rows, table.qualifiedName());
                    deleted += rows;
                }
            }
        }
        return deleted;
    }

    /** The rows of a shard that the kept placement does not put there; null: none. */
    private static String notKept(TableSql sql, int keptShard) {
        if (keptShard < 0) {
            return "TRUE";
        }
        return sql.shardOf() == null ? null : sql.shardOf() + " != " + keptShard;
    }

    private static long prune(Connection c, TableSql sql, String condition) throws SQLException {
        if (condition == null) {
            return 0;
        }
        long deleted = 0;
        List<String> lower = null;
        do {
            List<String> upper =
                    ChunkComparison.keyAt(c, sql, KeyScope.range(sql, lower, null), CHUNK_ROWS - 1);
            KeyScope scope = KeyScope.range(sql, lower, upper);
            try (PreparedStatement delete =
                    c.prepareStatement(
                            "DELETE FROM "
                                    + sql.name()
                                    + " WHERE "
                                    + scope.condition()
                                    + " AND "
                                    + condition)) {
                scope.bind(delete);
                deleted += delete.executeUpdate();
            }
            lower = upper;
        } while (lower != null);
        return deleted;
    }
}

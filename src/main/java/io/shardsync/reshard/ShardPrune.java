package io.shardsync.reshard;

import io.shardsync.config.ShardConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.SyncTable;
import io.shardsync.scan.ChunkWalker;
import io.shardsync.scan.KeyCutter;
import io.shardsync.scan.KeyScope;
import io.shardsync.scan.TableSql;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes from shards the rows a placement does not keep there: the moved rows left on the old
 * shards after a reshard (cleanup), or the copies on the new shards (rollback), from every table of
 * each synced table there. Works through each shard in primary-key chunks, one short transaction
 * each, so the job's writes are never blocked for long. Runs only once the job no longer writes the
 * placement being pruned.
 */
final class ShardPrune {
    private static final int CHUNK_ROWS = 2_000;

    private final List<String> keptNames;
    private final List<String> namedShards;
    private final PrintStream out;

    /**
     * {@code kept} is the placement whose rows stay; {@code namedShards} are the config's shards,
     * whose positions target names use.
     */
    ShardPrune(List<ShardConfig> kept, List<String> namedShards, PrintStream out) {
        this.keptNames = ShardConfig.names(kept);
        this.namedShards = namedShards;
        this.out = out;
    }

    /** Prunes every table on every shard; returns the number of rows deleted. */
    long prune(List<ShardConfig> shards, List<SyncTable> tables) throws Exception {
        long deleted = 0;
        for (ShardConfig shard : shards) {
            try (Connection chunker = Connections.shard(shard);
                    Connection deleter = Connections.shard(shard);
                    ChunkWalker<Connection> walker =
                            new ChunkWalker<>(
                                    List.of(deleter),
                                    0,
                                    new ChunkWalker.Progress("prune " + shard.name(), 0, out),
                                    ChunkWalker.Pacing.SYSTEM)) {
                // tables merged into one target share it: each target once
                Map<String, SyncTable> targets = new LinkedHashMap<>();
                for (SyncTable table : tables) {
                    table.targetsOn(namedShards.indexOf(shard.name()))
                            .forEach(t -> targets.putIfAbsent(t.qualifiedName(), t));
                }
                for (SyncTable table : targets.values()) {
                    TableSql sql = new TableSql(table);
                    String condition = notKept(sql, keptNames.indexOf(shard.name()));
                    long rows = 0;
                    if (condition != null) {
                        for (ChunkWalker.Done<Long> chunk :
                                walker.walk(
                                        sql,
                                        KeyCutter.of(chunker, sql),
                                        null,
                                        () -> CHUNK_ROWS,
                                        (c, range) -> delete(c, sql, range, condition),
                                        (upper, done) -> {})) {
                            rows += chunk.result();
                        }
                    }
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
    private String notKept(TableSql sql, int keptShard) {
        if (keptShard < 0) {
            return "TRUE";
        }
        return sql.isSharded() ? sql.shardOf(keptNames.size()) + " != " + keptShard : null;
    }

    private static ChunkWalker.Done<Long> delete(
            Connection c, TableSql sql, KeyScope range, String condition) throws SQLException {
        try (PreparedStatement delete =
                c.prepareStatement(
                        "DELETE FROM "
                                + sql.name()
                                + " WHERE "
                                + range.condition()
                                + " AND "
                                + condition)) {
            range.bind(delete);
            long deleted = delete.executeUpdate();
            return new ChunkWalker.Done<>(deleted, deleted);
        }
    }
}

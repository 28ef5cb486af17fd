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

    /**
     * Prunes every table on every shard of {@code shards}, routed there as {@code tables}, of the
     * rows {@code keptTables} (the same tables, by the kept placement's rules) do not put there;
     * returns the number of rows deleted.
     */
    long prune(List<ShardConfig> shards, List<SyncTable> tables, List<SyncTable> keptTables)
            throws Exception {
        long deleted = 0;
        for (ShardConfig shard : shards) {
            int position = namedShards.indexOf(shard.name());
            try (Connection chunker = Connections.shard(shard);
                    Connection deleter = Connections.shard(shard);
                    ChunkWalker<Connection> walker =
                            new ChunkWalker<>(
                                    List.of(deleter),
                                    0,
                                    new ChunkWalker.Progress("prune " + shard.name(), 0, out),
                                    ChunkWalker.Pacing.SYSTEM)) {
                // tables merged into one target share it: each target once
                Map<String, String> conditions = new LinkedHashMap<>();
                Map<String, TableSql> targets = new LinkedHashMap<>();
                for (int i = 0; i < tables.size(); i++) {
                    List<SyncTable> kept = keptTables.get(i).targetsOn(position);
                    for (SyncTable target : tables.get(i).targetsOn(position)) {
                        if (targets.putIfAbsent(target.qualifiedName(), new TableSql(target))
                                == null) {
                            conditions.put(
                                    target.qualifiedName(),
                                    notKept(kept, target.qualifiedName(), shard.name()));
                        }
                    }
                }
                for (TableSql sql : targets.values()) {
                    String condition = conditions.get(sql.table().qualifiedName());
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
                            shard.name(), rows, sql.table().qualifiedName());
                    deleted += rows;
                }
            }
        }
        return deleted;
    }

    /**
     * The rows of table {@code name} on a shard that the kept placement does not put there, whose
     * tables on that shard are {@code kept}; null: none.
     */
    private String notKept(List<SyncTable> kept, String name, String shard) {
        int keptShard = keptNames.indexOf(shard);
        int index = kept.stream().map(SyncTable::qualifiedName).toList().indexOf(name);
        if (keptShard < 0 || index < 0) {
            return "TRUE";
        }
        TableSql sql = new TableSql(kept.get(index));
        if (!sql.isSharded()) {
            return null;
        }
        return "NOT ("
                + sql.shardOf(keptNames.size())
                + " <=> "
                + keptShard
                + " AND "
                + sql.tableOf()
                + " <=> "
                + index
                + ")";
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

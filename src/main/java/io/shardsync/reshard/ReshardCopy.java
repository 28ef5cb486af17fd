package io.shardsync.reshard;

import io.shardsync.config.DeliveryMode;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.jdbc.SqlErrors;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.CopyProgress;
import io.shardsync.placement.ReshardStore;
import io.shardsync.route.ColumnProjection;
import io.shardsync.scan.ChunkWalker;
import io.shardsync.scan.KeyCutter;
import io.shardsync.scan.KeyScope;
import io.shardsync.scan.TableSql;
import io.shardsync.sink.Rejection;
import io.shardsync.sink.ShardStatements;
import io.shardsync.source.ChangeEventDeserializer;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The copy step of a reshard: every row whose shard in the new placement does not already hold it
 * under the old placement is written there, in primary-key chunks, in parallel and throttled, while
 * the streaming job keeps both placements current.
 *
 * <p>Each chunk is read with {@code LOCK IN SHARE MODE} and its rows are committed on the new
 * shards before the source transaction ends (pt-online-schema-change's way): a change to those rows
 * waits for the copy, so its binlog event, which the job applies to the new placement, comes after
 * the copied row and can never be overwritten by an older copy. Changes before the lock were read
 * by the copy and are replayed by the job in order, so the new placement converges to the source.
 * Progress (the last key below which every chunk is done) is stored after each chunk, so a killed
 * copy resumes there.
 */
final class ReshardCopy {
    private static final int MAX_ATTEMPTS = 5;

    private final JobConfig config;
    private final List<ShardConfig> to;
    private final List<String> toNames;
    private final List<String> fromNames;

    /** The config's shards, whose positions target names use. */
    private final List<String> namedShards;

    /**
     * The shards of the new placement that the old one lacks: they get every row of a table on
     * every shard.
     */
    private final List<Integer> newShards;

    private final ReshardStore store;
    private final CopyOptions options;
    private final PrintStream out;
    private final AtomicLong rowsScanned = new AtomicLong();
    private final AtomicLong rowsCopied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** Copies the tables of {@code config} from the {@code from} to the {@code to} placement. */
    ReshardCopy(
            JobConfig config,
            List<ShardConfig> from,
            List<ShardConfig> to,
            ReshardStore store,
            CopyOptions options,
            PrintStream out) {
        this.config = config;
        this.to = to;
        this.toNames = ShardConfig.names(to);
        this.fromNames = ShardConfig.names(from);
        this.namedShards = ShardConfig.names(config.namedShards());
        this.newShards =
                IntStream.range(0, to.size())
                        .filter(i -> !fromNames.contains(to.get(i).name()))
                        .boxed()
                        .toList();
        this.store = store;
        this.options = options;
        this.out = out;
    }

    /**
     * Copies every table not done yet, routed as {@code tables} on the old placement and as {@code
     * newTables} (the same tables, by the new placement's rules) on the new one; returns the number
     * of rows copied by this run.
     */
    long run(List<SyncTable> tables, List<SyncTable> newTables, long estimatedRows)
            throws Exception {
        long startMs = System.currentTimeMillis();
        List<ShardStatements> statements = new ArrayList<>();
        for (ShardConfig shard : to) {
            statements.add(
                    new ShardStatements(
                            newTables,
                            config.namedShards().indexOf(shard),
                            config.delivery() == DeliveryMode.IDEMPOTENT,
                            options.chunkRows()));
        }
        Map<String, CopyProgress> progress = store.copyProgress(config.name());
        List<Writer> writers = new ArrayList<>();
        try (Connection chunker = Connections.source(config.singleSource())) {
            for (int i = 0; i < options.threads(); i++) {
                writers.add(new Writer(statements));
            }
            try (ChunkWalker<Writer> walker =
                    new ChunkWalker<>(
                            writers,
                            options.maxRowsPerSecond(),
                            new ChunkWalker.Progress("copy", estimatedRows, out),
                            ChunkWalker.Pacing.SYSTEM)) {
                for (int i = 0; i < tables.size(); i++) {
                    SyncTable table = tables.get(i);
                    CopyProgress done =
                            progress.getOrDefault(table.qualifiedName(), CopyProgress.NONE);
                    if (!done.done()) {
                        copy(
                                new TableSql(table),
                                new TableSql(newTables.get(i)),
                                done,
                                chunker,
                                walker);
                    }
                }
            }
        } finally {
            for (Writer writer : writers) {
                writer.close();
            }
        }
        out.printf(
                "copy: %d rows scanned, %d copied, %d rejected by a shard, in %.1f s%n",
                rowsScanned.get(),
                rowsCopied.get(),
                rejected.get(),
                (System.currentTimeMillis() - startMs) / 1000.0);
        return rowsCopied.get();
    }

    /**
     * Copies a table from where a killed copy stopped; the stored resume key advances only over a
     * gap-free run of finished chunks, so a resumed copy never skips a chunk a worker had not
     * finished.
     */
    private void copy(
            TableSql old,
            TableSql sql,
            CopyProgress resumed,
            Connection chunker,
            ChunkWalker<Writer> walker)
            throws Exception {
        long[] copied = {resumed.rowsCopied()};
        walker.walk(
                sql,
                KeyCutter.of(chunker, sql),
                resumed.resumeKey(),
                options::chunkRows,
                (writer, chunk) -> writer.copy(old, sql, chunk),
                (upper, rows) -> {
                    copied[0] += rows.stream().mapToLong(Long::longValue).sum();
                    store.saveCopyProgress(
                            config.name(),
                            sql.table().qualifiedName(),
                            new CopyProgress(upper, copied[0], upper == null));
                });
    }

    /** One worker's connections: the source (chunk locks) and every new shard. */
    private final class Writer implements AutoCloseable {
        /** The statements of each new shard. */
        private final List<ShardStatements> statements;

        private final Connection source;
        private final List<Connection> shards = new ArrayList<>();

        /** Each table's column mapping, when its entry transforms its columns. */
        private final Map<String, ColumnProjection> projections = new HashMap<>();

        /**
         * The names of a table's tables on a shard, by index, by shard name, for the table as
         * routed on the old or on the new placement.
         */
        private final Map<SyncTable, Map<String, List<String>>> targetNames =
                new IdentityHashMap<>();

        Writer(List<ShardStatements> statements) throws SQLException {
            this.statements = statements;
            this.source = Connections.source(config.singleSource());
            source.setAutoCommit(false);
            for (ShardConfig shard : to) {
                Connection c = Connections.shard(shard);
                c.setAutoCommit(false);
                shards.add(c);
            }
        }

        /**
         * Copies the rows of one chunk that move (routed as {@code old} on the old placement and as
         * {@code sql} on the new one); returns the rows scanned and written.
         */
        ChunkWalker.Done<Long> copy(TableSql old, TableSql sql, KeyScope scope)
                throws SQLException {
            SyncTable table = sql.table();
            List<String> select = new ArrayList<>();
            table.columns().forEach(c -> select.add(sql.canonical(c)));
            boolean sharded = sql.isSharded();
            String query =
                    "SELECT "
                            + String.join(", ", select)
                            + (sharded
                                    ? ", "
                                            + sql.shardOf(to.size())
                                            + ", "
                                            + sql.tableOf()
                                            + ", "
                                            + old.shardOf(fromNames.size())
                                            + ", "
                                            + old.tableOf()
                                    : "")
                            + " FROM "
                            + sql.name()
                            + " WHERE "
                            + scope.and(sql.kept()).condition()
                            + " LOCK IN SHARE MODE";
            Map<Integer, List<ChangeEvent>> byShard = new HashMap<>();
            long scanned = 0;
            try {
                try (PreparedStatement statement = source.prepareStatement(query)) {
                    scope.bind(statement);
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            scanned++;
                            ChangeEvent row = written(table, row(table, rs));
                            if (!sharded) {
                                for (int shard : newShards) {
                                    String target = targetsOf(table, toNames.get(shard)).get(0);
                                    byShard.computeIfAbsent(shard, s -> new ArrayList<>())
                                            .add(addressed(table, row, target));
                                }
                                continue;
                            }
                            int at = select.size() + 1;
                            String target = targetOf(rs, at, toNames, table);
                            String was = targetOf(rs, at + 2, fromNames, old.table());
                            int shard = rs.getInt(at);
                            boolean stays =
                                    was != null
                                            && was.equals(target)
                                            && toNames.get(shard)
                                                    .equals(fromNames.get(rs.getInt(at + 2)));
                            if (target != null && !stays) {
                                byShard.computeIfAbsent(shard, s -> new ArrayList<>())
                                        .add(addressed(table, row, target));
                            }
                        }
                    }
                }
                long written = 0;
                for (Map.Entry<Integer, List<ChangeEvent>> entry : byShard.entrySet()) {
                    written += write(entry.getKey(), entry.getValue());
                }
                rowsScanned.addAndGet(scanned);
                rowsCopied.addAndGet(written);
                return new ChunkWalker.Done<>(scanned, written);
            } finally {
                source.commit(); // releases the chunk's locks, after the new shards committed
            }
        }

        /** A source row as the shards hold it: in the written columns, as the job writes it. */
        private ChangeEvent written(SyncTable table, ChangeEvent row) {
            if (table.layout().columns() == null) {
                return row;
            }
            return projections
                    .computeIfAbsent(table.qualifiedName(), t -> new ColumnProjection(table))
                    .apply(row);
        }

        /**
         * The qualified name of a row's table on its shard, from the shard and table index at
         * {@code column} (the shard's position in {@code shards}); null for a row on no shard (a
         * map rule's unlisted value).
         */
        private String targetOf(ResultSet rs, int column, List<String> shards, SyncTable table)
                throws SQLException {
            int shard = rs.getInt(column);
            boolean none = rs.wasNull();
            int index = rs.getInt(column + 1);
            if (none || rs.wasNull()) {
                return null;
            }
            return targetsOf(table, shards.get(shard)).get(index);
        }

        /** The qualified names of a table's tables on a shard, by index. */
        private List<String> targetsOf(SyncTable table, String shard) {
            return targetNames
                    .computeIfAbsent(table, t -> new HashMap<>())
                    .computeIfAbsent(
                            shard,
                            name ->
                                    table.targetsOn(namedShards.indexOf(name)).stream()
                                            .map(SyncTable::qualifiedName)
                                            .toList());
        }

        /** The row addressed to its table on a shard, when that has another name. */
        private static ChangeEvent addressed(SyncTable table, ChangeEvent row, String target) {
            return table.layout().asAtSource() ? row : row.to(target);
        }

        /**
         * Writes rows to one new shard in one transaction. The job writes the same shard, so a
         * deadlock between the two is retried (the source locks are still held).
         */
        private long write(int shard, List<ChangeEvent> rows) throws SQLException {
            Connection c = shards.get(shard);
            for (int attempt = 1; ; attempt++) {
                try {
                    List<Rejection> rejections =
                            statements.get(shard).apply(c, "reshard-" + UUID.randomUUID(), rows);
                    c.commit();
                    for (Rejection rejection : rejections) {
                        out.printf(
                                "copy: %s rejected %s: %s%n",
                                to.get(shard).name(), rejection.change(), rejection.error());
                    }
                    rejected.addAndGet(rejections.size());
                    return rows.size() - rejections.size();
                } catch (SQLException e) {
                    c.rollback();
                    if (!SqlErrors.isTransient(e) || attempt == MAX_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }

        private ChangeEvent row(SyncTable table, ResultSet rs) throws SQLException {
            String[] image = new String[table.columns().size()];
            for (int i = 0; i < image.length; i++) {
                image[i] = rs.getString(i + 1);
            }
            ChangeEvent row = new ChangeEvent();
            row.database = table.database();
            row.table = table.table();
            row.op = Op.READ;
            row.key = table.keyOf(image, null);
            row.after = image;
            row.version =
                    new RowVersion(
                            ChangeEventDeserializer.versionValue(table, image, null), 0, 0, 0);
            return row;
        }

        @Override
        public void close() throws SQLException {
            source.close();
            for (Connection shard : shards) {
                shard.close();
            }
        }
    }
}

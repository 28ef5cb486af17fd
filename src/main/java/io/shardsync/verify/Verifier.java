package io.shardsync.verify;

import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.RowKeys;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.Placement;
import io.shardsync.scan.ChunkWalker;
import io.shardsync.scan.KeyCutter;
import io.shardsync.scan.KeyScope;
import io.shardsync.scan.RowEstimates;
import io.shardsync.scan.TableSql;
import java.io.PrintStream;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies that the shards hold exactly the source's rows: each table is cut into primary-key
 * chunks (sized to take about {@code chunkTime} on the source, as pt-table-checksum does), chunks
 * are checksummed in parallel, and a chunk that disagrees is compared row by row. The rows that
 * differ are looked at again ({@link Recheck}) once every table was walked, all together in batches
 * of {@value #RECHECK_BATCH} keys on the workers, so the replication lag a recheck waits for is
 * waited once per verify, not once per chunk that had a row in flight.
 */
final class Verifier {
    private static final int MIN_CHUNK = 100;
    private static final int MAX_CHUNK = 200_000;
    private static final int RECHECK_BATCH = 2_000;

    private final JobConfig config;
    private final Placement placement;

    /** The config's tables, and as the serving placement routes them. */
    private final List<SyncTable> configTables;

    private final List<SyncTable> tables;
    private final VerifyOptions options;
    private final PrintStream out;
    private volatile long chunkSize = 1_000;
    private final AtomicLong walkedChunks = new AtomicLong();
    private final AtomicLong differingChunks = new AtomicLong();

    Verifier(
            JobConfig config,
            Placement placement,
            List<SyncTable> tables,
            VerifyOptions options,
            PrintStream out) {
        this.config = config;
        this.placement = placement;
        this.configTables = tables;
        this.tables = placement.servingTables(tables);
        this.options = options;
        this.out = out;
    }

    /** A table walked: its rows, chunks, column differences and the rows that differed. */
    private record Walked(
            String table,
            TableSql sql,
            long rows,
            long chunks,
            List<Difference> schemaDifferences,
            Map<List<String>, List<Difference>> candidates) {}

    /** Rows of one table to look at again. */
    private record Batch(int table, TableSql sql, List<Difference> differences) {}

    VerifyReport run() throws Exception {
        long startMs = System.currentTimeMillis();
        List<ChunkComparison> comparisons = new ArrayList<>();
        try (Connection chunker = Connections.source(config.singleSource())) {
            for (int i = 0; i < options.threads(); i++) {
                comparisons.add(ChunkComparison.open(config, placement, configTables));
            }
            ChunkWalker.Progress progress =
                    new ChunkWalker.Progress("verify", RowEstimates.of(chunker, tables), out);
            try (ChunkWalker<ChunkComparison> walker =
                    new ChunkWalker<>(
                            comparisons,
                            options.maxRowsPerSecond(),
                            progress,
                            ChunkWalker.Pacing.SYSTEM)) {
                List<Walked> walked = new ArrayList<>();
                for (List<SyncTable> merged : RowKeys.groups(tables)) {
                    SchemaComparison.Result schema =
                            SchemaComparison.of(
                                    placement.serving(),
                                    ShardConfig.names(config.namedShards()),
                                    merged);
                    walked.add(
                            schema.shared() == null
                                    ? new Walked(
                                            merged.get(0).qualifiedName(),
                                            null,
                                            0,
                                            0,
                                            schema.differences(),
                                            Map.of())
                                    : walk(schema.shared(), schema.differences(), chunker, walker));
                }
                List<VerifyReport.TableResult> results = recheck(walked, walker);
                long rows = walked.stream().mapToLong(Walked::rows).sum();
                long chunks = walked.stream().mapToLong(Walked::chunks).sum();
                return new VerifyReport(
                        results, rows, chunks, System.currentTimeMillis() - startMs);
            }
        } finally {
            for (ChunkComparison comparison : comparisons) {
                comparison.close();
            }
        }
    }

    private Walked walk(
            TableSql sql,
            List<Difference> schemaDifferences,
            Connection chunker,
            ChunkWalker<ChunkComparison> walker)
            throws Exception {
        List<ChunkWalker.Done<List<Difference>>> chunks =
                walker.walk(
                        sql,
                        KeyCutter.of(chunker, sql),
                        null,
                        () -> chunkSize,
                        (comparison, chunk) -> compare(comparison, sql, chunk),
                        (upper, done) -> {});
        Map<List<String>, List<Difference>> candidates = new LinkedHashMap<>();
        long rows = 0;
        for (ChunkWalker.Done<List<Difference>> chunk : chunks) {
            for (Difference d : chunk.result()) {
                candidates.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d);
            }
            rows += chunk.rows();
        }
        return new Walked(
                sql.table().qualifiedName(),
                sql,
                rows,
                chunks.size(),
                schemaDifferences,
                candidates);
    }

    /**
     * The tables' results, once the rows that differed in any of them have been looked at again:
     * all at once, in batches on the workers, so the lag is waited for once per verify.
     */
    private List<VerifyReport.TableResult> recheck(
            List<Walked> walked, ChunkWalker<ChunkComparison> walker) throws Exception {
        List<Batch> batches = new ArrayList<>();
        long rows = 0;
        for (int i = 0; i < walked.size(); i++) {
            for (List<Difference> batch : batches(walked.get(i).candidates())) {
                batches.add(new Batch(i, walked.get(i).sql(), batch));
            }
            rows += walked.get(i).candidates().size();
        }
        if (rows > 0 && options.rechecks() > 0) {
            out.printf(
                    "verify: %d rows differ; looking at them again within %d ms (changes in"
                            + " flight)%n",
                    rows, options.recheckDelay().toMillis());
        }
        long startMs = System.currentTimeMillis();
        List<Recheck.Result> rechecked =
                walker.onWorkers(
                        batches,
                        (comparison, batch) ->
                                new Recheck(
                                                comparison,
                                                batch.sql(),
                                                options.rechecks(),
                                                options.recheckDelay())
                                        .run(batch.differences()));
        if (rows > 0 && options.rechecks() > 0) {
            out.printf(
                    "verify: rechecked in %.1f s, %d rows still differ%n",
                    (System.currentTimeMillis() - startMs) / 1000.0,
                    rechecked.stream()
                            .mapToLong(r -> r.differences().size() + r.unsettled().size())
                            .sum());
        }
        List<VerifyReport.TableResult> results = new ArrayList<>();
        for (int i = 0; i < walked.size(); i++) {
            Walked table = walked.get(i);
            List<Difference> differences = new ArrayList<>(table.schemaDifferences());
            List<List<String>> unsettled = new ArrayList<>();
            for (int b = 0; b < batches.size(); b++) {
                if (batches.get(b).table() == i) {
                    differences.addAll(rechecked.get(b).differences());
                    unsettled.addAll(rechecked.get(b).unsettled());
                }
            }
            results.add(
                    new VerifyReport.TableResult(
                            table.table(), table.rows(), table.chunks(), differences, unsettled));
        }
        return results;
    }

    /**
     * The rows of a chunk that differ, before any recheck. A chunk that differs is split in halves
     * to find its few differing rows only while such chunks are rare (a quarter of those walked at
     * most): beside a running job nearly every chunk has rows in flight, and so does nearly every
     * half, whose checksums would only add to the row comparison.
     */
    private ChunkWalker.Done<List<Difference>> compare(
            ChunkComparison comparison, TableSql sql, KeyScope chunk) throws Exception {
        long started = System.nanoTime();
        Checksum checksum = comparison.checksum(sql, chunk);
        adaptChunkSize(System.nanoTime() - started);
        boolean differencesAreRare = differingChunks.get() * 4 <= walkedChunks.getAndIncrement();
        if (checksum.matches()) {
            return new ChunkWalker.Done<>(checksum.sourceRows(), List.of());
        }
        differingChunks.incrementAndGet();
        long limit = differencesAreRare ? options.rowCompareLimit() : Long.MAX_VALUE; // no split
        return new ChunkWalker.Done<>(
                checksum.sourceRows(), comparison.differences(sql, chunk, checksum, limit));
    }

    /** The differences in batches of up to {@value #RECHECK_BATCH} keys, a key in one batch. */
    private static List<List<Difference>> batches(Map<List<String>, List<Difference>> byKey) {
        List<List<Difference>> batches = new ArrayList<>();
        List<Difference> batch = new ArrayList<>();
        int keys = 0;
        for (List<Difference> ofKey : byKey.values()) {
            if (keys == RECHECK_BATCH) {
                batches.add(batch);
                batch = new ArrayList<>();
                keys = 0;
            }
            batch.addAll(ofKey);
            keys++;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    private void adaptChunkSize(long elapsedNanos) {
        double ratio = (double) options.chunkTime().toNanos() / Math.max(elapsedNanos, 1);
        long next = (long) (chunkSize * Math.min(2.0, Math.max(0.5, ratio)));
        chunkSize = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, next));
    }
}

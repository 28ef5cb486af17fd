package io.shardsync.verify;

import io.shardsync.config.JobConfig;
import io.shardsync.jdbc.Connections;
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
import java.util.List;

/**
 * Verifies that the shards hold exactly the source's rows: each table is cut into primary-key
 * chunks (sized to take about {@code chunkTime} on the source, as pt-table-checksum does), chunks
 * are checksummed in parallel, a chunk that disagrees is compared row by row, and its differing
 * rows are looked at again ({@link Recheck}) before they are reported.
 */
final class Verifier {
    private static final int MIN_CHUNK = 100;
    private static final int MAX_CHUNK = 200_000;

    private final JobConfig config;
    private final Placement placement;
    private final List<SyncTable> tables;
    private final VerifyOptions options;
    private final PrintStream out;
    private volatile long chunkSize = 1_000;

    Verifier(
            JobConfig config,
            Placement placement,
            List<SyncTable> tables,
            VerifyOptions options,
            PrintStream out) {
        this.config = config;
        this.placement = placement;
        this.tables = tables;
        this.options = options;
        this.out = out;
    }

    VerifyReport run() throws Exception {
        long startMs = System.currentTimeMillis();
        List<ChunkComparison> comparisons = new ArrayList<>();
        try (Connection chunker = Connections.source(config.singleSource())) {
            for (int i = 0; i < options.threads(); i++) {
                comparisons.add(ChunkComparison.open(config, placement));
            }
            ChunkWalker.Progress progress =
                    new ChunkWalker.Progress("verify", RowEstimates.of(chunker, tables), out);
            List<VerifyReport.TableResult> results = new ArrayList<>();
            try (ChunkWalker<ChunkComparison> walker =
                    new ChunkWalker<>(
                            comparisons,
                            options.maxRowsPerSecond(),
                            progress,
                            ChunkWalker.Pacing.SYSTEM)) {
                for (SyncTable table : tables) {
                    SchemaComparison.Result schema =
                            SchemaComparison.of(placement.serving(), table);
                    results.add(
                            schema.shared() == null
                                    ? new VerifyReport.TableResult(
                                            table.qualifiedName(),
                                            0,
                                            0,
                                            schema.differences(),
                                            List.of())
                                    : verify(
                                            new TableSql(schema.shared()),
                                            schema.differences(),
                                            chunker,
                                            walker));
                }
            }
            long rows = results.stream().mapToLong(VerifyReport.TableResult::rows).sum();
            long chunks = results.stream().mapToLong(VerifyReport.TableResult::chunks).sum();
            return new VerifyReport(results, rows, chunks, System.currentTimeMillis() - startMs);
        } finally {
            for (ChunkComparison comparison : comparisons) {
                comparison.close();
            }
        }
    }

    private VerifyReport.TableResult verify(
            TableSql sql,
            List<Difference> schemaDifferences,
            Connection chunker,
            ChunkWalker<ChunkComparison> walker)
            throws Exception {
        List<ChunkWalker.Done<Recheck.Result>> chunks =
                walker.walk(
                        sql,
                        KeyCutter.of(chunker, sql),
                        null,
                        () -> chunkSize,
                        (comparison, chunk) -> check(comparison, sql, chunk),
                        (upper, done) -> {});
        List<Difference> differences = new ArrayList<>(schemaDifferences);
        List<List<String>> unsettled = new ArrayList<>();
        long rows = 0;
        for (ChunkWalker.Done<Recheck.Result> chunk : chunks) {
            differences.addAll(chunk.result().differences());
            unsettled.addAll(chunk.result().unsettled());
            rows += chunk.rows();
        }
        return new VerifyReport.TableResult(
                sql.table().qualifiedName(), rows, chunks.size(), differences, unsettled);
    }

    private ChunkWalker.Done<Recheck.Result> check(
            ChunkComparison comparison, TableSql sql, KeyScope chunk) throws Exception {
        long started = System.nanoTime();
        ChunkComparison.Checksum checksum = comparison.checksum(sql, chunk);
        adaptChunkSize(System.nanoTime() - started);
        List<Difference> differences =
                checksum.matches()
                        ? List.of()
                        : comparison.differences(
                                sql, chunk, checksum.sourceRows(), options.rowCompareLimit());
        Recheck.Result result =
                new Recheck(comparison, sql, options.rechecks(), options.recheckDelay())
                        .run(differences);
        return new ChunkWalker.Done<>(checksum.sourceRows(), result);
    }

    private void adaptChunkSize(long elapsedNanos) {
        double ratio = (double) options.chunkTime().toNanos() / Math.max(elapsedNanos, 1);
        long next = (long) (chunkSize * Math.min(2.0, Math.max(0.5, ratio)));
        chunkSize = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, next));
    }
}

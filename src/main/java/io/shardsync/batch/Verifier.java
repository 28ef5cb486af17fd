package io.shardsync.batch;

import io.shardsync.config.JobConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.SyncTable;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies that the shards hold exactly the source's rows: each table is cut into primary-key
 * chunks (sized to take about {@code chunkTime} on the source, as pt-table-checksum does), chunks
 * are checksummed in parallel, a chunk that disagrees is compared row by row, and its differing
 * rows are looked at again ({@link Recheck}) before they are reported.
 */
public final class Verifier {
    private static final int MIN_CHUNK = 100;
    private static final int MAX_CHUNK = 200_000;

    private final JobConfig config;
    private final List<SyncTable> tables;
    private final VerifyOptions options;
    private final PrintStream out;
    private final AtomicLong rowsDone = new AtomicLong();
    private final AtomicLong chunksDone = new AtomicLong();
    private volatile long chunkSize = 1_000;
    private long startMs;

    Verifier(JobConfig config, List<SyncTable> tables, VerifyOptions options, PrintStream out) {
        this.config = config;
        this.tables = tables;
        this.options = options;
        this.out = out;
    }

    VerifyReport run() throws Exception {
        startMs = System.currentTimeMillis();
        BlockingQueue<ChunkComparison> comparisons = new ArrayBlockingQueue<>(options.threads());
        ExecutorService workers = Executors.newFixedThreadPool(options.threads());
        try (Connection chunker = Connections.source(config.singleSource())) {
            for (int i = 0; i < options.threads(); i++) {
                comparisons.add(ChunkComparison.open(config));
            }
            List<VerifyReport.TableResult> results = new ArrayList<>();
            long total = estimatedRows(chunker, tables);
            for (SyncTable table : tables) {
                SchemaComparison.Result schema = SchemaComparison.of(config, table);
                results.add(
                        schema.shared() == null
                                ? new VerifyReport.TableResult(
                                        table.qualifiedName(),
                                        0,
                                        0,
                                        schema.differences(),
                                        List.of())
                                : verify(
                                        TableSql.of(schema.shared(), config),
                                        schema.differences(),
                                        chunker,
                                        workers,
                                        comparisons,
                                        total));
            }
            long duration = System.currentTimeMillis() - startMs;
            return new VerifyReport(results, rowsDone.get(), chunksDone.get(), duration);
        } finally {
            workers.shutdownNow();
            for (ChunkComparison comparison : comparisons) {
                comparison.close();
            }
        }
    }

    private VerifyReport.TableResult verify(
            TableSql sql,
            List<Difference> schemaDifferences,
            Connection chunker,
            ExecutorService workers,
            BlockingQueue<ChunkComparison> comparisons,
            long totalRows)
            throws Exception {
        long rowsBefore = rowsDone.get();
        long chunksBefore = chunksDone.get();
        List<Future<Recheck.Result>> chunks = new ArrayList<>();
        Semaphore pending = new Semaphore(2 * options.threads());
        List<String> lower = null;
        do {
            // the upper key of the chunk after lower; null when the rest of the table fits in it
            List<String> upper =
                    ChunkComparison.keyAt(
                            chunker, sql, KeyScope.range(sql, lower, null), chunkSize - 1);
            KeyScope scope = KeyScope.range(sql, lower, upper);
            // Chunks are cut only a little ahead of the workers, so the adapted size takes effect.
            pending.acquire();
            chunks.add(
                    workers.submit(
                            () -> {
                                try {
                                    return check(sql, scope, comparisons, totalRows);
                                } finally {
                                    pending.release();
                                }
                            }));
            lower = upper;
        } while (lower != null);
        List<Difference> differences = new ArrayList<>(schemaDifferences);
        List<List<String>> unsettled = new ArrayList<>();
        for (Future<Recheck.Result> chunk : chunks) {
            differences.addAll(chunk.get().differences());
            unsettled.addAll(chunk.get().unsettled());
        }
        return new VerifyReport.TableResult(
                sql.table().qualifiedName(),
                rowsDone.get() - rowsBefore,
                chunksDone.get() - chunksBefore,
                differences,
                unsettled);
    }

    private Recheck.Result check(
            TableSql sql,
            KeyScope scope,
            BlockingQueue<ChunkComparison> comparisons,
            long totalRows)
            throws Exception {
        ChunkComparison comparison = comparisons.take();
        try {
            long started = System.nanoTime();
            ChunkComparison.Checksum checksum = comparison.checksum(sql, scope);
            adaptChunkSize(System.nanoTime() - started);
            List<Difference> differences =
                    checksum.matches()
                            ? List.of()
                            : comparison.differences(
                                    sql, scope, checksum.sourceRows(), options.rowCompareLimit());
            Recheck.Result result =
                    new Recheck(comparison, sql, options.rechecks(), options.recheckDelay())
                            .run(differences);
            progress(checksum.sourceRows(), sql, totalRows);
            return result;
        } finally {
            comparisons.put(comparison);
        }
    }

    private void adaptChunkSize(long elapsedNanos) {
        double ratio = (double) options.chunkTime().toNanos() / Math.max(elapsedNanos, 1);
        long next = (long) (chunkSize * Math.min(2.0, Math.max(0.5, ratio)));
        chunkSize = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, next));
    }

    private synchronized void progress(long rows, TableSql sql, long totalRows)
            throws InterruptedException {
        long done = rowsDone.addAndGet(rows);
        long chunks = chunksDone.incrementAndGet();
        long elapsed = Math.max(1, System.currentTimeMillis() - startMs);
        if (options.maxRowsPerSecond() > 0) {
            long due = done * 1000 / options.maxRowsPerSecond();
            if (due > elapsed) {
                Thread.sleep(due - elapsed); // throttle: hold every worker to the rate
            }
        }
        if (chunks % 20 == 0) {
            long rate = done * 1000 / elapsed;
            long eta = rate == 0 ? 0 : Math.max(0, totalRows - done) / rate;
            out.printf(
                    "verify %s: %d chunks, %d rows, %d rows/s, ETA %d s%n",
                    sql.table().qualifiedName(), chunks, done, rate, eta);
        }
    }

    /** The tables' row count as the source estimates it (for ETAs). */
    static long estimatedRows(Connection c, List<SyncTable> tables) throws SQLException {
        long rows = 0;
        for (SyncTable table : tables) {
            try (PreparedStatement statement =
                    c.prepareStatement(
                            "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
                statement.setString(1, table.database());
                statement.setString(2, table.table());
                try (ResultSet rs = statement.executeQuery()) {
                    rows += rs.next() ? rs.getLong(1) : 0;
                }
            }
        }
        return rows;
    }
}

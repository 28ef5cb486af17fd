package io.shardsync.batch;

import io.shardsync.config.JobConfig;
import io.shardsync.model.SyncTable;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * rows are compared again after the replication lag ({@code rechecks} times) before they are
 * reported, so a verify beside the running job does not report changes still on their way.
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
        try (Connection chunker = ChunkComparison.openSource(config.singleSource())) {
            for (int i = 0; i < options.threads(); i++) {
                comparisons.add(ChunkComparison.open(config));
            }
            List<VerifyReport.TableResult> results = new ArrayList<>();
            long total = estimatedRows(chunker, tables);
            for (SyncTable table : tables) {
                results.add(
                        verify(TableSql.of(table, config), chunker, workers, comparisons, total));
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
            Connection chunker,
            ExecutorService workers,
            BlockingQueue<ChunkComparison> comparisons,
            long totalRows)
            throws Exception {
        long rowsBefore = rowsDone.get();
        long chunksBefore = chunksDone.get();
        List<Future<ChunkResult>> chunks = new ArrayList<>();
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
        List<Difference> differences = new ArrayList<>();
        List<List<String>> unsettled = new ArrayList<>();
        for (Future<ChunkResult> chunk : chunks) {
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

    /** What a chunk's check found: rows that differ, and rows that kept changing. */
    private record ChunkResult(List<Difference> differences, List<List<String>> unsettled) {}

    private ChunkResult check(
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
            // A difference may be replication lag: look at those rows again after it has passed.
            // A row the source changed during the wait is still on its way; one that changes
            // through every recheck is reported as unsettled, not as different.
            Set<List<String>> unsettled = new HashSet<>();
            Map<List<String>, String> before = null;
            for (int attempt = 0;
                    !differences.isEmpty() && attempt < options.rechecks();
                    attempt++) {
                KeyScope keys =
                        KeyScope.keys(
                                sql, differences.stream().map(Difference::key).distinct().toList());
                if (before == null) {
                    before = comparison.sourceFingerprints(sql, keys);
                }
                Thread.sleep(options.recheckDelay().toMillis());
                differences = comparison.differences(sql, keys);
                Map<List<String>, String> after = comparison.sourceFingerprints(sql, keys);
                unsettled.clear();
                for (Difference d : differences) {
                    if (!Objects.equals(before.get(d.key()), after.get(d.key()))) {
                        unsettled.add(d.key());
                    }
                }
                before = after; // covers the next recheck's keys, a subset of these
            }
            progress(checksum.sourceRows(), sql, totalRows);
            return new ChunkResult(
                    differences.stream().filter(d -> !unsettled.contains(d.key())).toList(),
                    List.copyOf(unsettled));
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

package io.shardsync.scan;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The walk of the batch tools (verify, the reshard copy, prune) over tables' key spaces: each table
 * is cut into consecutive key ranges that cover it exactly once, a little ahead of the workers (so
 * a chunk size that adapts takes effect at once); each range is worked on by one of a fixed set of
 * workers (each with its own connections), all held to one rate of rows per second; progress and an
 * ETA are printed every {@value #REPORT_EVERY} chunks, and a resumable walk is told each key below
 * which every chunk is done.
 *
 * @param <W> a worker's resources, used by one chunk at a time
 */
public final class ChunkWalker<W> implements AutoCloseable {
    private static final int REPORT_EVERY = 20;

    /** The work on one chunk: the rows it covered (for rate and progress) and its result. */
    @FunctionalInterface
    public interface Work<W, R> {
        Done<R> run(W worker, KeyScope chunk) throws Exception;
    }

    /** A chunk's rows and result. */
    public record Done<R>(long rows, R result) {}

    /** Work on one item that is not a key range (e.g. rows to look at again). */
    @FunctionalInterface
    public interface Task<W, T, R> {
        R run(W worker, T item) throws Exception;
    }

    /**
     * Told whenever the chunks done without a gap reach further: every chunk up to {@code upper}
     * (null: the table's end) is done, with the results of those not told before, in key order.
     */
    @FunctionalInterface
    public interface Resume<R> {
        void reached(List<String> upper, List<R> results) throws Exception;
    }

    /** What progress lines say: {@code label} and the rows all walks of the run will cover. */
    public record Progress(String label, long estimatedRows, PrintStream out) {}

    /** The clock and the sleep of the rate limit. */
    public interface Pacing {
        Pacing SYSTEM =
                new Pacing() {
                    @Override
                    public long nowMs() {
                        return System.currentTimeMillis();
                    }

                    @Override
                    public void sleep(long ms) throws InterruptedException {
                        Thread.sleep(ms);
                    }
                };

        long nowMs();

        void sleep(long ms) throws InterruptedException;
    }

    private final BlockingQueue<W> idle;
    private final int threads;
    private final ExecutorService pool;
    private final long maxRowsPerSecond;
    private final Progress progress;
    private final Pacing pacing;
    private final long startMs;
    private long rows;
    private long chunks;

    /** A walk with one thread per worker, {@code maxRowsPerSecond} over them all (0: no limit). */
    public ChunkWalker(List<W> workers, long maxRowsPerSecond, Progress progress, Pacing pacing) {
        this.threads = workers.size();
        this.idle = new ArrayBlockingQueue<>(threads, false, workers);
        this.pool = Executors.newFixedThreadPool(threads);
        this.maxRowsPerSecond = maxRowsPerSecond;
        this.progress = progress;
        this.pacing = pacing;
        this.startMs = pacing.nowMs();
    }

    /**
     * Walks a table from after {@code from} (null: its start) to its end, in chunks of {@code
     * chunkRows} rows as {@code cutter} counts them; returns every chunk's rows and result, in key
     * order.
     */
    public <R> List<Done<R>> walk(
            TableSql sql,
            KeyCutter cutter,
            List<String> from,
            LongSupplier chunkRows,
            Work<W, R> work,
            Resume<R> resume)
            throws Exception {
        ChunkLog<R> log = new ChunkLog<>(resume);
        Semaphore ahead = new Semaphore(2 * threads);
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<Done<R>>> walked = new ArrayList<>();
        List<String> lower = from;
        long seq = 0;
        try {
            do {
                List<String> upper = cutter.upperAfter(lower, chunkRows.getAsLong());
                KeyScope chunk = KeyScope.range(sql, lower, upper);
                long index = seq++;
                ahead.acquire();
                walked.add(
                        pool.submit(
                                () -> {
                                    try {
                                        Done<R> done = onIdleWorker(work::run, chunk);
                                        log.done(index, upper, done.result());
                                        paceAndReport(sql, done.rows());
                                        return done;
                                    } catch (Exception e) {
                                        failed.set(true);
                                        throw e;
                                    } finally {
                                        ahead.release();
                                    }
                                }));
                lower = upper;
            } while (lower != null && !failed.get()); // a failed chunk fails the walk
            List<Done<R>> results = new ArrayList<>();
            for (Future<Done<R>> chunk : walked) {
                results.add(chunk.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw cause(e);
        } finally {
            walked.forEach(chunk -> chunk.cancel(true));
        }
    }

    /**
     * Runs a task per item on the workers, as many at once as there are workers; returns the
     * results in the items' order.
     */
    public <T, R> List<R> onWorkers(List<T> items, Task<W, T, R> task) throws Exception {
        List<Future<R>> running = new ArrayList<>();
        try {
            for (T item : items) {
                running.add(pool.submit(() -> onIdleWorker(task, item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> result : running) {
                results.add(result.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw cause(e);
        } finally {
            running.forEach(result -> result.cancel(true));
        }
    }

    /** What failed a chunk or task, as its worker threw it. */
    private static Exception cause(ExecutionException e) {
        return e.getCause() instanceof Exception cause ? cause : e;
    }

    private <T, R> R onIdleWorker(Task<W, T, R> task, T item) throws Exception {
        W worker = idle.take();
        try {
            return task.run(worker, item);
        } finally {
            idle.put(worker);
        }
    }

    /** Holds every worker to the rate, and prints progress now and then. */
    private synchronized void paceAndReport(TableSql sql, long chunkRows)
            throws InterruptedException {
        rows += chunkRows;
        chunks++;
        long elapsed = Math.max(1, pacing.nowMs() - startMs);
        if (maxRowsPerSecond > 0) {
            long due = rows * 1000 / maxRowsPerSecond;
            if (due > elapsed) {
                pacing.sleep(due - elapsed);
            }
        }
        if (chunks % REPORT_EVERY == 0) {
            long rate = rows * 1000 / elapsed;
            long eta = rate == 0 ? 0 : Math.max(0, progress.estimatedRows() - rows) / rate;
            progress.out()
                    .printf(
                            "%s %s: %d chunks, %d rows, %d rows/s, ETA %d s%n",
                            progress.label(), sql.table().qualifiedName(), chunks, rows, rate, eta);
        }
    }

    /** Finished chunks, told to the resume only as a gap-free run from the walk's start. */
    private static final class ChunkLog<R> {
        private record Finished<R>(List<String> upper, R result) {}

        private final Resume<R> resume;
        private final Map<Long, Finished<R>> finished = new HashMap<>();
        private long next;

        ChunkLog(Resume<R> resume) {
            this.resume = resume;
        }

        synchronized void done(long index, List<String> upper, R result) throws Exception {
            finished.put(index, new Finished<>(upper, result));
            List<R> results = new ArrayList<>();
            Finished<R> last = null;
            while (finished.containsKey(next)) {
                last = finished.remove(next++);
                results.add(last.result());
            }
            if (last != null) {
                resume.reached(last.upper(), results);
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

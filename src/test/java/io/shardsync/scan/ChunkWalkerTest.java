package io.shardsync.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.testing.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The batch tools' one walk over a key space, on a table held in memory: chunks cover every key
 * exactly once whatever order workers finish in, a resumed walk starts after its key and is told
 * only gap-free progress, the rate limit holds all workers, and a failed chunk fails the walk.
 */
class ChunkWalkerTest {
    private static final SyncTable TABLE =
            Tables.keyedByFirstColumn(
                    "db",
                    "t",
                    List.of(new Column("id", "bigint", "bigint", false, null, false)),
                    -1,
                    ShardRule.MOD);
    private static final TableSql SQL = new TableSql(TABLE);
    private static final List<Long> KEYS =
            IntStream.rangeClosed(1, 1_000).mapToObj(i -> (long) i * 3).toList();

    /** Cuts {@link #KEYS} as a server would: the key {@code rows} rows after {@code lower}. */
    private static final KeyCutter CUTTER =
            (lower, rows) -> {
                int first = lower == null ? 0 : firstAfter(Long.parseLong(lower.get(0)));
                int at = first + (int) rows - 1;
                return at < KEYS.size() ? List.of(String.valueOf(KEYS.get(at))) : null;
            };

    private static int firstAfter(long key) {
        int i = Collections.binarySearch(KEYS, key);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** The keys of {@link #KEYS} in a chunk. */
    private static List<Long> keysIn(KeyScope chunk) {
        long lower = chunk.lower() == null ? Long.MIN_VALUE : Long.parseLong(chunk.lower().get(0));
        long upper = chunk.upper() == null ? Long.MAX_VALUE : Long.parseLong(chunk.upper().get(0));
        return KEYS.stream().filter(k -> k > lower && k <= upper).toList();
    }

    /** Work that takes the chunk's keys, finishing in a random order. */
    private static ChunkWalker.Work<String, List<Long>> shuffled() {
        return (worker, chunk) -> {
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            List<Long> keys = keysIn(chunk);
            return new ChunkWalker.Done<>(keys.size(), keys);
        };
    }

    private static ChunkWalker<String> walker(
            int threads, long maxRowsPerSecond, PrintStream out, ChunkWalker.Pacing pacing) {
        List<String> workers = IntStream.range(0, threads).mapToObj(i -> "worker-" + i).toList();
        return new ChunkWalker<>(
                workers,
                maxRowsPerSecond,
                new ChunkWalker.Progress("test", KEYS.size(), out),
                pacing);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void chunksCoverEveryKeyExactlyOnceInKeyOrder() throws Exception {
        try (ChunkWalker<String> walker = walker(3, 0, quiet(), ChunkWalker.Pacing.SYSTEM)) {
            List<ChunkWalker.Done<List<Long>>> chunks =
                    walker.walk(SQL, CUTTER, null, () -> 7, shuffled(), (upper, done) -> {});
            List<Long> covered = new ArrayList<>();
            chunks.forEach(chunk -> covered.addAll(chunk.result()));
            assertEquals(KEYS, covered);
            assertEquals((KEYS.size() + 6) / 7, chunks.size());
            assertEquals(KEYS.size(), chunks.stream().mapToLong(ChunkWalker.Done::rows).sum());
        }
    }

    @Test
    void aChunkSizeThatChangesTakesEffectAtTheNextCut() throws Exception {
        AtomicLong size = new AtomicLong(10);
        try (ChunkWalker<String> walker = walker(1, 0, quiet(), ChunkWalker.Pacing.SYSTEM)) {
            List<ChunkWalker.Done<List<Long>>> chunks =
                    walker.walk(
                            SQL,
                            CUTTER,
                            null,
                            size::get,
                            (worker, chunk) -> {
                                size.set(100);
                                List<Long> keys = keysIn(chunk);
                                return new ChunkWalker.Done<>(keys.size(), keys);
                            },
                            (upper, done) -> {});
            List<Long> covered = new ArrayList<>();
            chunks.forEach(chunk -> covered.addAll(chunk.result()));
            assertEquals(KEYS, covered);
            assertEquals(10, chunks.get(0).rows());
            assertEquals(100, chunks.get(chunks.size() - 2).rows());
        }
    }

    @Test
    void aResumedWalkStartsAfterItsKeyAndIsToldOnlyGapFreeProgress() throws Exception {
        List<String> reached = Collections.synchronizedList(new ArrayList<>());
        List<Long> told = Collections.synchronizedList(new ArrayList<>());
        String resumeKey = String.valueOf(KEYS.get(99));
        try (ChunkWalker<String> walker = walker(4, 0, quiet(), ChunkWalker.Pacing.SYSTEM)) {
            walker.walk(
                    SQL,
                    CUTTER,
                    List.of(resumeKey),
                    () -> 13,
                    shuffled(),
                    (upper, results) -> {
                        reached.add(upper == null ? "end" : upper.get(0));
                        results.forEach(told::addAll);
                    });
        }
        // told in key order, every key after the resume key once: no chunk was skipped
        assertEquals(KEYS.subList(100, KEYS.size()), told);
        assertEquals("end", reached.get(reached.size() - 1));
        for (int i = 0; i < reached.size() - 1; i++) {
            // each reached key is the last key of a chunk, and they only grow
            int index = KEYS.indexOf(Long.parseLong(reached.get(i)));
            assertEquals(0, (index - 99) % 13, reached.get(i));
            assertTrue(
                    i == 0 || index > KEYS.indexOf(Long.parseLong(reached.get(i - 1))),
                    reached.toString());
        }
    }

    @Test
    void theRateHoldsEveryWorker() throws Exception {
        long[] clock = {1_000};
        ChunkWalker.Pacing pacing =
                new ChunkWalker.Pacing() {
                    @Override
                    public synchronized long nowMs() {
                        return clock[0];
                    }

                    @Override
                    public synchronized void sleep(long ms) {
                        clock[0] += ms;
                    }
                };
        try (ChunkWalker<String> walker = walker(3, 200, quiet(), pacing)) {
            walker.walk(SQL, CUTTER, null, () -> 50, shuffled(), (upper, done) -> {});
        }
        // 1,000 rows at 200 rows/s: the clock, moved only by the limit's sleeps, shows 5 s
        assertEquals(5_000, clock[0] - 1_000);
    }

    @Test
    void progressIsPrintedEveryTwentyChunks() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ChunkWalker<String> walker =
                walker(
                        2,
                        0,
                        new PrintStream(bytes, true, StandardCharsets.UTF_8),
                        ChunkWalker.Pacing.SYSTEM)) {
            walker.walk(SQL, CUTTER, null, () -> 10, shuffled(), (upper, done) -> {});
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        // 101 chunks (the last one past the last key is empty): a line at 20, 40, ..., 100
        assertEquals(5, lines.size(), lines.toString());
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(
                    lines.get(i)
                            .matches(
                                    "test db\\.t: "
                                            + 20 * (i + 1)
                                            + " chunks, \\d+ rows, \\d+ rows/s, ETA \\d+ s"),
                    lines.get(i));
        }
    }

    @Test
    void aFailedChunkFailsTheWalkWithItsError() throws Exception {
        SQLException broken = new SQLException("shard gone");
        try (ChunkWalker<String> walker = walker(2, 0, quiet(), ChunkWalker.Pacing.SYSTEM)) {
            SQLException thrown =
                    assertThrows(
                            SQLException.class,
                            () ->
                                    walker.walk(
                                            SQL,
                                            CUTTER,
                                            null,
                                            () -> 100,
                                            (worker, chunk) -> {
                                                if (chunk.lower() != null) {
                                                    throw broken;
                                                }
                                                return new ChunkWalker.Done<>(100, null);
                                            },
                                            (upper, done) -> {}));
            assertSame(broken, thrown);
        }
    }

    @Test
    void anEmptyTableIsOneChunk() throws Exception {
        try (ChunkWalker<String> walker = walker(2, 0, quiet(), ChunkWalker.Pacing.SYSTEM)) {
            List<ChunkWalker.Done<Long>> chunks =
                    walker.walk(
                            SQL,
                            (lower, rows) -> null,
                            null,
                            () -> 10,
                            (worker, chunk) -> {
                                assertNull(chunk.lower());
                                assertNull(chunk.upper());
                                assertEquals("TRUE", chunk.condition());
                                return new ChunkWalker.Done<>(0, 0L);
                            },
                            (upper, done) -> {});
            assertEquals(1, chunks.size());
        }
    }

    @Test
    void tasksRunOnEveryWorkerAtOnceAndReturnInOrder() throws Exception {
        CyclicBarrier allThree = new CyclicBarrier(3);
        try (ChunkWalker<String> walker = walker(3, 0, quiet(), ChunkWalker.Pacing.SYSTEM)) {
            List<Integer> doubled =
                    walker.onWorkers(
                            List.of(1, 2, 3, 4, 5, 6),
                            (worker, item) -> {
                                if (item <= 3) {
                                    allThree.await(10, TimeUnit.SECONDS); // three at once
                                }
                                return item * 2;
                            });
            assertEquals(List.of(2, 4, 6, 8, 10, 12), doubled);
        }
    }
}

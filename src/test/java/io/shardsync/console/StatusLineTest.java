package io.shardsync.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.model.ConflictKind;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The status line says what a local run is doing, in a fixed shape. */
class StatusLineTest {
    @Test
    void beforeAnythingHappened() {
        assertEquals(
                "snapshot - | binlog lag - | applied 0.0/s | conflicts none | checkpoint none yet",
                new StatusLine(new TreeMap<>(), -1, 0, Map.of(), null).format());
    }

    @Test
    void aRunningJob() {
        TreeMap<String, Long> rows = new TreeMap<>(Map.of("demo_orders", 10_000L, "demo_all", 3L));
        Map<ConflictKind, Long> conflicts =
                Map.of(
                        ConflictKind.TARGET_REJECTED, 1L,
                        ConflictKind.STALE_VERSION, 12L,
                        ConflictKind.LATE, 0L);
        assertEquals(
                "snapshot demo_all 3 rows, demo_orders 10000 rows | binlog lag 1.3 s"
                        + " | applied 201.5/s | conflicts STALE_VERSION 12, TARGET_REJECTED 1"
                        + " | checkpoint #14 2 min 05 s ago (480 ms, 1.5 MB)",
                new StatusLine(
                                rows,
                                1_250,
                                201.46,
                                conflicts,
                                new StatusLine.Checkpoint(14, 125_000, 480, 1_572_864))
                        .format());
    }

    @Test
    void sizesAndDurations() {
        assertEquals("999 B", StatusLine.size(999));
        assertEquals("2.0 KB", StatusLine.size(2048));
        assertEquals("3.5 GB", StatusLine.size(3_758_096_384L));
        assertEquals("0 ms", StatusLine.duration(0));
        assertEquals("59.9 s", StatusLine.duration(59_940));
        assertEquals("61 min 01 s", StatusLine.duration(3_661_000));
    }
}

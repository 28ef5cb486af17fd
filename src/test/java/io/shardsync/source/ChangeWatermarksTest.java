package io.shardsync.source;

import static io.shardsync.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.model.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class ChangeWatermarksTest {
    private final AtomicLong clock = new AtomicLong(100_000);
    private final ChangeWatermarks.Activity reader = new ChangeWatermarks.Activity(clock.get());
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = collectingInto(emitted);
    private final ChangeWatermarks watermarks = generator();

    @Test
    void followsCommitTimesMinusTheToleranceWhileChangesFlow() {
        watermarks.onEvent(event(Op.INSERT, "1", "a", 1, 90_000), 90_000, output);
        watermarks.onPeriodicEmit(output);
        watermarks.onEvent(event(Op.UPDATE, "1", "b", 2, 95_000), 95_000, output);
        watermarks.onEvent(event(Op.UPDATE, "1", "c", 3, 93_000), 93_000, output); // out of order
        watermarks.onPeriodicEmit(output);
        assertEquals(List.of(87_999L, 92_999L), emitted);
    }

    @Test
    void followsTheClockOnceTheSourceIsQuiet() {
        watermarks.onEvent(event(Op.INSERT, "1", "a", 1, 100_000), 100_000, output);
        clock.addAndGet(4_999);
        watermarks.onPeriodicEmit(output);
        clock.addAndGet(2_001); // quiet for 7 s
        watermarks.onPeriodicEmit(output);
        assertEquals(List.of(97_999L, 99_999L), emitted);
    }

    @Test
    void aReaderBehindItsSourceTrailsTheClockByItsLagToo() {
        // Read 30 s after its commit (a backlog), then no change for 6 s (backpressure, say):
        // the next change of the backlog may be as old as this one, so it must not be late.
        watermarks.onEvent(event(Op.UPDATE, "1", "a", 2, 70_000), 70_000, output);
        clock.addAndGet(6_000);
        watermarks.onPeriodicEmit(output);
        clock.addAndGet(40_000); // really quiet
        watermarks.onPeriodicEmit(output);
        assertEquals(List.of(68_999L, 108_999L), emitted);
    }

    @Test
    void anOutputWithoutChangesIsNotQuietWhileAnotherOutputOfItsReaderIsBusy() {
        List<Long> fromMain = new ArrayList<>();
        ChangeWatermarks main = generator(); // the reader's main output: no changes pass it
        for (int i = 0; i < 20; i++) {
            clock.addAndGet(1_000);
            watermarks.onEvent(event(Op.UPDATE, "1", "a", i, 60_000 + i), 60_000 + i, output);
            main.onPeriodicEmit(collectingInto(fromMain));
        }
        assertEquals(List.of(), fromMain);
    }

    @Test
    void snapshotReadsKeepTheSourceBusyWithoutMovingEventTime() {
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(1_000);
            watermarks.onEvent(event(Op.READ, "1", "a", 1, 0), 0, output);
            watermarks.onPeriodicEmit(output);
        }
        assertEquals(List.of(), emitted);
    }

    @Test
    void aReaderIsNotQuietWhileItsSnapshotIsHandedOverToTheBinlog() {
        // Snapshot rows for 10 s, then 12.9 s without a change until the binlog's first one, a
        // change written during the snapshot: less than the checkpoint interval and twice the
        // idleness (13 s).
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(1_000);
            watermarks.onEvent(event(Op.READ, "1", "a", 1, 0), 0, output);
        }
        for (int i = 0; i < 129; i++) {
            clock.addAndGet(100);
            watermarks.onPeriodicEmit(output);
        }
        assertEquals(List.of(), emitted, "the changes written during the snapshot are not late");
        watermarks.onEvent(event(Op.UPDATE, "1", "b", 2, 101_000), 101_000, output);
        watermarks.onPeriodicEmit(output);
        assertEquals(List.of(98_999L), emitted);
    }

    @Test
    void aQuietSourceAfterItsSnapshotIsFollowedOnceTheHandoverIsOver() {
        watermarks.onEvent(event(Op.READ, "1", "a", 1, 0), 0, output);
        clock.addAndGet(12_999);
        watermarks.onPeriodicEmit(output);
        clock.addAndGet(1); // quiet for the checkpoint interval and twice the idleness
        watermarks.onPeriodicEmit(output);
        assertEquals(List.of(105_999L), emitted);
    }

    private ChangeWatermarks generator() {
        return new ChangeWatermarks(2_000, 5_000, 3_000, clock::get, reader);
    }

    private static WatermarkOutput collectingInto(List<Long> timestamps) {
        return new WatermarkOutput() {
            @Override
            public void emitWatermark(Watermark watermark) {
                timestamps.add(watermark.getTimestamp());
            }

            @Override
            public void markIdle() {}

            @Override
            public void markActive() {}
        };
    }
}

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
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output =
            new WatermarkOutput() {
                @Override
                public void emitWatermark(Watermark watermark) {
                    emitted.add(watermark.getTimestamp());
                }

                @Override
                public void markIdle() {}

                @Override
                public void markActive() {}
            };
    private final ChangeWatermarks watermarks = new ChangeWatermarks(2_000, 5_000, clock::get);

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
        watermarks.onEvent(event(Op.INSERT, "1", "a", 1, 90_000), 90_000, output);
        clock.addAndGet(4_999);
        watermarks.onPeriodicEmit(output);
        clock.addAndGet(1);
        watermarks.onPeriodicEmit(output);
        assertEquals(List.of(87_999L, 97_999L), emitted);
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
}

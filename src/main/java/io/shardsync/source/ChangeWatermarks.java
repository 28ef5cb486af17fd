package io.shardsync.source;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Event time of changes: bounded out-of-orderness over source commit times, and, once the source
 * has been quiet for {@code idleness}, the job's clock minus the idleness and the out-of-orderness.
 * A quiet source thus never holds changes (ordered merge) or tombstones back until its next change.
 * Snapshot reads carry no commit time and do not move the watermark, but they do count as activity.
 */
public class ChangeWatermarks implements WatermarkGenerator<ChangeEvent> {
    private final long outOfOrdernessMs;
    private final long idlenessMs;
    private final LongSupplier clock;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastChangeAtMs;
    private long emitted = Long.MIN_VALUE;

    public ChangeWatermarks(long outOfOrdernessMs, long idlenessMs, LongSupplier clock) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idlenessMs = idlenessMs;
        this.clock = clock;
        this.lastChangeAtMs = clock.getAsLong();
    }

    @Override
    public void onEvent(ChangeEvent event, long timestamp, WatermarkOutput output) {
        lastChangeAtMs = clock.getAsLong();
        if (event.op != Op.READ) {
            maxTimestamp = Math.max(maxTimestamp, timestamp);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long watermark =
                maxTimestamp == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : maxTimestamp - outOfOrdernessMs - 1;
        long now = clock.getAsLong();
        if (now - lastChangeAtMs >= idlenessMs) {
            // A binlog event carries its statement's start time and arrives at commit: a
            // transaction running while the source looked quiet must not come out late, so the
            // clock is followed at a distance of the idleness too.
            watermark = Math.max(watermark, now - idlenessMs - outOfOrdernessMs - 1);
        }
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}

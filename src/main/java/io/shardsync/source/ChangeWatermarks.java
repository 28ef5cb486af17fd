package io.shardsync.source;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of changes: bounded out-of-orderness over source commit times, and, once the source
 * reader has been quiet for {@code idleness}, the job's clock minus the idleness, the
 * out-of-orderness and how far behind the source the reader was at its last change. A quiet source
 * thus never holds changes (ordered merge) or tombstones back until its next change, and a reader
 * working through a backlog never sees its next changes come out late. Snapshot reads carry no
 * commit time and do not move the watermark, but they do count as activity.
 *
 * <p>After snapshot reads the reader is quiet only after the checkpoint interval and twice the
 * idleness: Flink CDC starts reading the binlog, from where the snapshot began, once a checkpoint
 * has completed after the last snapshot split, so the changes written during the snapshot may
 * arrive a checkpoint interval, and the time that checkpoint and the last split take to finish,
 * after the last snapshot row. Following the clock in between would put them all behind the
 * watermark, each a {@code LATE} conflict.
 *
 * <p>A source reader runs one generator per split and one for its main output; Flink forwards the
 * highest watermark of them. They share the reader's {@link Activity}, so the generator of an
 * output that sees no changes does not take the reader for quiet while another output is busy.
 */
public class ChangeWatermarks implements WatermarkGenerator<ChangeEvent> {
    private final long outOfOrdernessMs;
    private final long idlenessMs;
    private final long quietAfterSnapshotMs;
    private final LongSupplier clock;
    private final Activity activity;
    private long maxTimestamp = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    /**
     * When one source reader last saw a change, how far behind the source it was then, and whether
     * that change was a snapshot read.
     */
    static final class Activity {
        private long lastChangeAtMs;
        private long lagMs;
        private boolean snapshotRead;

        Activity(long nowMs) {
            this.lastChangeAtMs = nowMs;
        }
    }

    ChangeWatermarks(
            long outOfOrdernessMs,
            long idlenessMs,
            long checkpointIntervalMs,
            LongSupplier clock,
            Activity activity) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idlenessMs = idlenessMs;
        this.quietAfterSnapshotMs = checkpointIntervalMs + 2 * idlenessMs;
        this.clock = clock;
        this.activity = activity;
    }

    /**
     * Event time from {@link ChangeEvent#sourceTimeMs}, one {@link Activity} per source reader, for
     * a job checkpointing at the given interval.
     */
    public static WatermarkStrategy<ChangeEvent> strategy(
            Duration outOfOrderness, Duration idleness, Duration checkpointInterval) {
        return WatermarkStrategy.forGenerator(
                        new PerReader(
                                outOfOrderness.toMillis(),
                                idleness.toMillis(),
                                checkpointInterval.toMillis()))
                .withTimestampAssigner((event, previous) -> event.sourceTimeMs);
    }

    @Override
    public void onEvent(ChangeEvent event, long timestamp, WatermarkOutput output) {
        long now = clock.getAsLong();
        activity.lastChangeAtMs = now;
        activity.snapshotRead = event.op == Op.READ;
        if (event.op != Op.READ) {
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            activity.lagMs = Math.max(0, now - timestamp);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long watermark =
                maxTimestamp == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : maxTimestamp - outOfOrdernessMs - 1;
        long now = clock.getAsLong();
        long quiet = activity.snapshotRead ? quietAfterSnapshotMs : idlenessMs;
        if (now - activity.lastChangeAtMs >= quiet) {
            // A binlog event carries its statement's start time and arrives at commit: a
            // transaction running while the source looked quiet must not come out late, so the
            // clock is followed at a distance of the idleness too; and a reader that was behind
            // (stalled by backpressure, say) may still have changes as old as its lag to read.
            watermark =
                    Math.max(watermark, now - idlenessMs - outOfOrdernessMs - 1 - activity.lagMs);
        }
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }

    /**
     * Creates the generators of one source subtask: each subtask deserializes its own copy of the
     * strategy, so the activity (transient, created on first use) is shared within a reader only.
     */
    private static final class PerReader implements WatermarkGeneratorSupplier<ChangeEvent> {
        private final long outOfOrdernessMs;
        private final long idlenessMs;
        private final long checkpointIntervalMs;
        private transient Activity activity;

        PerReader(long outOfOrdernessMs, long idlenessMs, long checkpointIntervalMs) {
            this.outOfOrdernessMs = outOfOrdernessMs;
            this.idlenessMs = idlenessMs;
            this.checkpointIntervalMs = checkpointIntervalMs;
        }

        @Override
        public WatermarkGenerator<ChangeEvent> createWatermarkGenerator(Context context) {
            if (activity == null) {
                activity = new Activity(System.currentTimeMillis());
            }
            return new ChangeWatermarks(
                    outOfOrdernessMs,
                    idlenessMs,
                    checkpointIntervalMs,
                    System::currentTimeMillis,
                    activity);
        }
    }
}

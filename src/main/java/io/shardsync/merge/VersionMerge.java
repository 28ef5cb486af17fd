package io.shardsync.merge;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.MetricNames;
import io.shardsync.model.Op;
import io.shardsync.model.SideOutputs;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Latest-wins merge per row (keyed by table and primary key): a newer version is applied at once,
 * the same version with the same content is a dropped duplicate, anything else is reported on the
 * conflicts side output and not applied. A deleted row keeps a tombstone for a while of event time,
 * so a stale insert cannot bring it back.
 */
public class VersionMerge extends KeyedProcessFunction<String, ChangeEvent, ChangeEvent> {
    public static final ValueStateDescriptor<MergeState> STATE =
            new ValueStateDescriptor<>("row-version", MergeState.class);

    private final long tombstoneRetentionMs;
    private transient ValueState<MergeState> rows;
    private transient Counter applied;
    private transient Counter duplicates;
    private transient Counter stale;
    private transient Counter sameVersion;
    private transient Counter late;

    public VersionMerge(Duration tombstoneRetention) {
        this.tombstoneRetentionMs = tombstoneRetention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        rows = getRuntimeContext().getState(STATE);
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(MetricNames.GROUP);
        applied = group.counter(MetricNames.APPLIED);
        group.meter(MetricNames.APPLIED_RATE, new MeterView(applied));
        duplicates = group.counter(MetricNames.DUPLICATES);
        stale = group.counter(MetricNames.STALE);
        sameVersion = group.counter(MetricNames.SAME_VERSION_CONFLICTS);
        late = group.counter(MetricNames.LATE);
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        boolean isLate = event.op != Op.READ && event.sourceTimeMs < watermark;
        MergeState state = rows.value();
        long hash = contentHash(event);
        if (state != null) {
            int order = event.version.compareTo(state.version);
            if (order == 0 && hash == state.contentHash) {
                duplicates.inc();
                return;
            }
            if (order <= 0) {
                ConflictKind kind =
                        order == 0
                                ? ConflictKind.SAME_VERSION_DIFFERENT_DATA
                                : ConflictKind.STALE_VERSION;
                (order == 0 ? sameVersion : stale).inc();
                ctx.output(SideOutputs.CONFLICTS, new Conflict(kind, event, state.version, false));
                return;
            }
        } else {
            state = new MergeState();
        }
        if (isLate) {
            late.inc();
            ctx.output(
                    SideOutputs.CONFLICTS,
                    new Conflict(ConflictKind.LATE, event, state.version, true));
        }
        remember(state, event, hash, Math.max(event.sourceTimeMs, watermark), ctx);
        applied.inc();
        out.collect(event);
    }

    private void remember(MergeState state, ChangeEvent event, long hash, long now, Context ctx)
            throws Exception {
        if (state.tombstoneExpiry != 0) {
            ctx.timerService().deleteEventTimeTimer(state.tombstoneExpiry);
            state.tombstoneExpiry = 0;
        }
        state.version = event.version;
        state.contentHash = hash;
        state.deleted = event.op == Op.DELETE;
        if (state.deleted) {
            state.tombstoneExpiry = now + tombstoneRetentionMs;
            ctx.timerService().registerEventTimeTimer(state.tombstoneExpiry);
        }
        rows.update(state);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ChangeEvent> out)
            throws Exception {
        MergeState state = rows.value();
        if (state != null && state.deleted && state.tombstoneExpiry == timestamp) {
            rows.clear();
        }
    }

    /** 64-bit content identity of a change: the row after it (every delete hashes alike). */
    static long contentHash(ChangeEvent event) {
        if (event.op == Op.DELETE) {
            return -1L;
        }
        long hash = 1125899906842597L;
        for (String value : event.after) {
            hash = 31 * hash + (value == null ? 0x9E3779B97F4A7C15L : value.length());
            if (value != null) {
                for (int i = 0; i < value.length(); i++) {
                    hash = 1099511628211L * hash + value.charAt(i);
                }
            }
        }
        return hash;
    }
}

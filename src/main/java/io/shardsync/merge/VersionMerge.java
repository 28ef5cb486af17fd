package io.shardsync.merge;

import io.shardsync.config.MergeMode;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.Ddl;
import io.shardsync.model.KeyGroupCopies;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import io.shardsync.model.SideOutputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merge per row (keyed by table and primary key): a newer version is applied, the same version with
 * the same content is a dropped duplicate, anything else is reported on the conflicts side output
 * and not applied. A deleted row keeps a tombstone for a while of event time, so a stale insert
 * cannot bring it back.
 *
 * <p>{@code latest-wins} applies a change as it arrives. {@code ordered} holds each change until
 * the watermark passes its event time and then applies the held changes in version order, so a
 * target sees every version; a change that arrives behind the watermark is merged at once and
 * flagged {@code LATE} in both modes.
 */
public class VersionMerge extends KeyedProcessFunction<String, ChangeEvent, ChangeEvent>
        implements CheckpointedFunction {
    private static final Logger LOG = LoggerFactory.getLogger(VersionMerge.class);

    public static final ValueStateDescriptor<MergeState> STATE =
            new ValueStateDescriptor<>("row-version", MergeStateSerializer.INSTANCE);
    public static final ListStateDescriptor<ChangeEvent> HELD =
            new ListStateDescriptor<>("held-changes", ChangeEvent.class);
    static final ListStateDescriptor<String> RESETS =
            new ListStateDescriptor<>("table-resets", String.class);

    private final long tombstoneRetentionMs;
    private final MergeMode mode;

    /**
     * Tables without a version column. Their only order is the binlog's, and they have exactly one
     * source read by one reader in binlog order, with the merge state restored at the reader's
     * offset: every change that arrives is newer than the row's last one, save a repeat of that
     * very change. A binlog position below the row's last one therefore means a new binlog — a
     * {@code RESET MASTER}, a failover to another server, a rebuilt source — not a stale change:
     * comparing positions across binlogs would make every change of the new one stale forever.
     */
    private final Set<String> arrivalOrdered;

    private transient boolean rewindReported;
    private transient ValueState<MergeState> rows;
    private transient ListState<ChangeEvent> held;
    private transient MergeMetrics metrics;
    private transient TableResets resets;
    private transient ListState<String> resetState;

    public VersionMerge(
            Duration tombstoneRetention, MergeMode mode, Set<String> arrivalOrderedTables) {
        this.tombstoneRetentionMs = tombstoneRetention.toMillis();
        this.mode = mode;
        this.arrivalOrdered = Set.copyOf(arrivalOrderedTables);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        resetState = context.getOperatorStateStore().getUnionListState(RESETS);
        resets = new TableResets();
        resets.restore(resetState.get());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        resetState.update(resets.lines());
    }

    @Override
    public void open(OpenContext openContext) {
        rows = getRuntimeContext().getState(STATE);
        held = getRuntimeContext().getListState(HELD);
        metrics = new MergeMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out)
            throws Exception {
        if (event.op == Op.DDL) {
            schemaChange(event, ctx, out);
            return;
        }
        metrics.arrived(event, ctx.timerService().currentWatermark());
        boolean onTime =
                event.op != Op.READ && event.sourceTimeMs >= ctx.timerService().currentWatermark();
        if (mode == MergeMode.ORDERED && onTime) {
            held.add(event);
            ctx.timerService().registerEventTimeTimer(event.sourceTimeMs);
            return;
        }
        merge(event, event.op != Op.READ && !onTime, ctx, out);
    }

    /**
     * One copy of a schema change per key group reaches this subtask ({@link KeyGroupCopies}): it
     * acts on its own one, behind every change before the statement. A statement the shards follow
     * goes on to them; one that empties the table resets what the merge knows of its rows. A
     * reported one becomes one conflict record of the whole job.
     */
    private void schemaChange(ChangeEvent ddl, Context ctx, Collector<ChangeEvent> out) {
        TaskInfo task = getRuntimeContext().getTaskInfo();
        if (!KeyGroupCopies.isThisSubtasks(ctx.getCurrentKey(), task)) {
            return;
        }
        boolean theJobsCopy = KeyGroupCopies.isTheJobs(ctx.getCurrentKey(), task);
        Ddl statement = Ddl.of(ddl);
        if (statement.action() == Ddl.Action.REPORT) {
            if (theJobsCopy) {
                metrics.schemaChangeIgnored(ddl);
                Conflict ignored =
                        new Conflict(
                                ConflictKind.SCHEMA_CHANGE_IGNORED,
                                ddl.withOp(Op.DDL, new String[0], ddl.after),
                                null,
                                false);
                ignored.error = statement.what();
                ctx.output(SideOutputs.CONFLICTS, ignored);
            }
            return;
        }
        if (theJobsCopy) {
            metrics.schemaChangeFollowed(ddl);
        }
        if (statement.action().empties()) {
            resets.record(ddl);
        }
        out.collect(ddl);
    }

    private void merge(ChangeEvent event, boolean isLate, Context ctx, Collector<ChangeEvent> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (isLate) {
            metrics.late(event); // every change behind the watermark, applied or not
        }
        String table = event.qualifiedTable();
        if (event.op != Op.READ && resets.isBefore(table, event.sourceId, event.version)) {
            return; // its table was emptied after it
        }
        MergeState state = rows.value();
        if (state != null && resets.isBefore(table, state.sourceId, state.version)) {
            state = null;
        }
        long hash = contentHash(event);
        if (state != null) {
            int order =
                    arrivalOrdered.contains(event.qualifiedTable())
                            ? arrivalOrder(event, state, hash)
                            : order(event, state);
            if (order == 0 && hash == state.contentHash) {
                metrics.duplicate(event);
                return;
            }
            if (order <= 0) {
                ConflictKind kind =
                        order == 0
                                ? ConflictKind.SAME_VERSION_DIFFERENT_DATA
                                : ConflictKind.STALE_VERSION;
                metrics.conflict(kind, event);
                ctx.output(SideOutputs.CONFLICTS, new Conflict(kind, event, state.version, false));
                return;
            }
        } else {
            state = new MergeState();
        }
        if (isLate) {
            ctx.output(
                    SideOutputs.CONFLICTS,
                    new Conflict(ConflictKind.LATE, event, state.version, true));
        }
        remember(state, event, hash, Math.max(event.sourceTimeMs, watermark), ctx);
        metrics.applied(event);
        out.collect(event);
    }

    private void remember(MergeState state, ChangeEvent event, long hash, long now, Context ctx)
            throws Exception {
        if (state.tombstoneExpiry != 0) {
            ctx.timerService().deleteEventTimeTimer(state.tombstoneExpiry);
            state.tombstoneExpiry = 0;
        }
        state.version = event.version;
        state.sourceId = event.sourceId;
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
        if (mode == MergeMode.ORDERED) {
            releaseHeld(timestamp, ctx, out);
        }
        MergeState state = rows.value();
        if (state != null && state.deleted && state.tombstoneExpiry == timestamp) {
            rows.clear();
        }
    }

    /** Applies, in version order, the held changes the watermark has passed. */
    private void releaseHeld(long watermark, Context ctx, Collector<ChangeEvent> out)
            throws Exception {
        List<ChangeEvent> due = new ArrayList<>();
        List<ChangeEvent> later = new ArrayList<>();
        for (ChangeEvent event : held.get()) {
            (event.sourceTimeMs <= watermark ? due : later).add(event);
        }
        if (due.isEmpty()) {
            return;
        }
        held.update(later);
        due.sort(Comparator.comparing(e -> e.version));
        for (ChangeEvent event : due) {
            merge(event, false, ctx, out);
        }
    }

    /** A change of an arrival-ordered table: a repeat of the last one, or newer. */
    private int arrivalOrder(ChangeEvent event, MergeState state, long hash) {
        boolean repeat =
                event.sourceId.equals(state.sourceId)
                        && event.version.equals(state.version)
                        && hash == state.contentHash;
        if (!repeat && order(event, state) < 0 && event.op != Op.READ && !rewindReported) {
            rewindReported = true;
            LOG.warn(
                    "{}: the binlog went back from {} to {} (a binlog reset, a failover or a new"
                            + " source); its changes are newer than the old binlog's",
                    event.qualifiedTable(),
                    state.version,
                    event.version);
        }
        return repeat ? 0 : 1;
    }

    /**
     * The incoming change's version against the row's (its delete's, for a deleted row). A delete
     * carries the version of the row it deletes; without a binlog position (a Canal message) to
     * tell them apart it is the newer of the two.
     */
    static int order(ChangeEvent event, MergeState state) {
        if (state.deleted) {
            return RowVersion.compareToDelete(
                    event.sourceId, event.version, state.sourceId, state.version);
        }
        int order =
                RowVersion.compare(event.sourceId, event.version, state.sourceId, state.version);
        return order == 0 && event.op == Op.DELETE && !event.version.hasPosition() ? 1 : order;
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

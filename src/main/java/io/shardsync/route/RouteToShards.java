package io.shardsync.route;

import io.shardsync.expr.RowCondition;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.MetricNames;
import io.shardsync.model.Op;
import io.shardsync.model.SideOutputs;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.PhaseAcknowledgement;
import io.shardsync.placement.RestoreGuard;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends each merged change to its shard's side output, and a schema change to every shard. An
 * update that changes the shard key is a move: a delete on the old shard and the write on the new
 * one. While a reshard is in flight a second (shadow) placement is kept current too: a row goes to
 * its shard in each placement, and is deleted from a shard neither placement keeps it on any more.
 * A row that belongs on no shard (a map rule's unlisted value) is a {@code TARGET_REJECTED}
 * conflict, and an update that takes a row there deletes it where it was, as verify's SQL expects.
 * Its state is the placement the job's state was built with, so a restore under another placement
 * is refused ({@link RestoreGuard}).
 */
public class RouteToShards extends ProcessFunction<ChangeEvent, ChangeEvent>
        implements CheckpointedFunction, CheckpointListener {
    /**
     * The {@link io.shardsync.placement.StateFingerprint} entries; broadcast state, so every
     * subtask holds them all after any rescale.
     */
    static final MapStateDescriptor<String, String> BUILT_WITH =
            new MapStateDescriptor<>("placement", Types.STRING, Types.STRING);

    private final Map<String, SyncTable> tables = new HashMap<>();
    private final List<OutputTag<ChangeEvent>> shardTags;
    private final int[] placement;
    private final int[] shadow;
    private final ShardRouter router;
    private final ShardRouter shadowRouter;
    private final RestoreGuard guard;
    private final PhaseAcknowledgement acknowledgement;

    /**
     * Sources whose changes of a row may arrive out of version order (kafka sources): the merge
     * applies the newest and drops the older as stale, so the applied change's before image need
     * not be what the shards hold — a skipped version may have moved the row. Their updates and
     * deletes delete the row from every shard it does not belong on.
     */
    private final Set<String> unorderedSources;

    /** Each table's {@code where} condition, compiled once; absent: every row is synced. */
    private transient Map<String, RowCondition> filters;

    private transient boolean acknowledged;
    private transient Counter moves;
    private transient Counter rejected;
    private transient Map<String, Counter> movesByTable;

    /**
     * {@code shardNames} is the placement (its order is the routing), {@code shadowNames} the
     * shadow placement (empty when none); each shard written gets one side output by name. {@code
     * guard} judges the placement of restored state; {@code acknowledgement} (null without a
     * reshard) is sent by the first subtask after its first completed checkpoint.
     */
    public RouteToShards(
            List<SyncTable> tables,
            List<String> shardNames,
            List<String> shadowNames,
            RestoreGuard guard,
            PhaseAcknowledgement acknowledgement,
            Set<String> unorderedSources) {
        for (SyncTable table : tables) {
            this.tables.put(table.qualifiedName(), table);
        }
        Set<String> union = new LinkedHashSet<>(shardNames);
        union.addAll(shadowNames);
        List<String> written = List.copyOf(union);
        this.shardTags = written.stream().map(SideOutputs::shard).toList();
        this.placement = shardNames.stream().mapToInt(written::indexOf).toArray();
        this.shadow = shadowNames.stream().mapToInt(written::indexOf).toArray();
        this.router = new ShardRouter(placement.length);
        this.shadowRouter = new ShardRouter(Math.max(1, shadow.length));
        this.guard = guard;
        this.acknowledgement = acknowledgement;
        this.unorderedSources = Set.copyOf(unorderedSources);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        BroadcastState<String, String> builtWith =
                context.getOperatorStateStore().getBroadcastState(BUILT_WITH);
        Map<String, String> restored = new HashMap<>();
        builtWith.entries().forEach(e -> restored.put(e.getKey(), e.getValue()));
        Map<String, String> kept = guard.restore(restored);
        builtWith.clear();
        builtWith.putAll(kept);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // BUILT_WITH is written as set in initializeState
    }

    /** The job runs with its placement once a checkpoint completed: the reshard steps may go on. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (acknowledgement != null
                && !acknowledged
                && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            acknowledged = acknowledgement.send();
        }
    }

    @Override
    public void open(OpenContext openContext) {
        filters = new HashMap<>();
        for (SyncTable table : tables.values()) {
            if (table.where() != null) {
                filters.put(table.qualifiedName(), RowCondition.compile(table.where(), table));
            }
        }
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(MetricNames.GROUP);
        moves = group.counter(MetricNames.MOVES);
        rejected = group.counter(MetricNames.REJECTED);
        movesByTable = new HashMap<>();
        for (String table : tables.keySet()) {
            movesByTable.put(
                    table, group.addGroup(MetricNames.TABLE, table).counter(MetricNames.MOVES));
        }
    }

    @Override
    public void processElement(ChangeEvent change, Context ctx, Collector<ChangeEvent> out) {
        String name = change.qualifiedTable();
        SyncTable table = tables.get(name);
        RowCondition filter = filters.get(name);
        ChangeEvent event =
                filter == null || change.op == Op.DDL ? change : filtered(filter, change);
        if (event == null) {
            return;
        }
        if (table.shardKeyIndex() < 0 || event.op == Op.DDL) {
            shardTags.forEach(tag -> ctx.output(tag, event));
            return;
        }
        int shard = placed(placement, router.shardOf(table, event.image(), event.columns));
        int shadowShard = shadowShardOf(table, event, event.image(), shard);
        boolean anywhere =
                (event.op == Op.UPDATE || event.op == Op.DELETE)
                        && unorderedSources.contains(event.sourceId);
        if (event.op == Op.UPDATE) {
            int oldShard = placed(placement, router.shardOf(table, event.before, event.columns));
            int oldShadowShard = shadowShardOf(table, event, event.before, oldShard);
            if (oldShard != shard) {
                moves.inc();
                movesByTable.get(name).inc();
            }
            if (!anywhere) {
                deleteUnlessKept(ctx, event, oldShard, shard, shadowShard);
                if (oldShadowShard != oldShard) {
                    deleteUnlessKept(ctx, event, oldShadowShard, shard, shadowShard);
                }
            }
        }
        if (anywhere) {
            for (int other = 0; other < shardTags.size(); other++) {
                deleteUnlessKept(ctx, event, other, shard, shadowShard);
            }
        }
        if (shard == ShardRouter.NO_SHARD) {
            // a row on no shard is reported, not written; a delete of one has nothing to delete
            if (event.op.writesRow()) {
                rejected.inc();
                ctx.output(SideOutputs.CONFLICTS, unplaced(table, event));
            }
            return;
        }
        ctx.output(shardTags.get(shard), event);
        if (shadowShard != shard) {
            ctx.output(shardTags.get(shadowShard), event);
        }
    }

    /**
     * The change as the shards see it through the table's {@code where}: unchanged while its row
     * meets the condition, a delete where the row was once an update makes it stop meeting it (as
     * well as for a source whose changes may arrive out of order, whose shards may hold any older
     * image), and nothing for a row the shards never held. An update that makes a row start meeting
     * it writes the row.
     */
    private ChangeEvent filtered(RowCondition filter, ChangeEvent change) {
        if (change.op == Op.DELETE) {
            return change; // deleting a row a shard does not hold does no harm
        }
        if (filter.matches(change.after, change.columns)) {
            return change;
        }
        boolean held =
                unorderedSources.contains(change.sourceId)
                        || (change.op == Op.UPDATE
                                && change.before != null
                                && filter.matches(change.before, change.columns));
        return held ? change.withOp(Op.DELETE, change.key, null) : null;
    }

    private static Conflict unplaced(SyncTable table, ChangeEvent event) {
        Conflict conflict = new Conflict(ConflictKind.TARGET_REJECTED, event, null, false);
        conflict.error =
                "no shard for "
                        + table.columns().get(table.shardKeyIndex()).name()
                        + " '"
                        + event.image()[table.indexIn(event.columns, table.shardKeyIndex())]
                        + "': the map rule lists no such value and has no default";
        return conflict;
    }

    /** The written shard of a routed shard index; NO_SHARD stays. */
    private static int placed(int[] shards, int routed) {
        return routed == ShardRouter.NO_SHARD ? routed : shards[routed];
    }

    private void deleteUnlessKept(
            Context ctx, ChangeEvent event, int oldShard, int shard, int shadowShard) {
        if (oldShard != shard && oldShard != shadowShard && oldShard != ShardRouter.NO_SHARD) {
            ctx.output(shardTags.get(oldShard), event.withOp(Op.DELETE, event.key, null));
        }
    }

    /** The shard of an image of the change in the shadow placement; {@code shard} when none. */
    private int shadowShardOf(SyncTable table, ChangeEvent change, String[] image, int shard) {
        return shadow.length == 0 || shard == ShardRouter.NO_SHARD
                ? shard
                : shadow[shadowRouter.shardOf(table, image, change.columns)];
    }
}

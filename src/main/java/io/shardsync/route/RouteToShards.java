package io.shardsync.route;

import io.shardsync.expr.RowCondition;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.MetricNames;
import io.shardsync.model.Op;
import io.shardsync.model.RowKeys;
import io.shardsync.model.SideOutputs;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.PhaseAcknowledgement;
import io.shardsync.placement.RestoreGuard;
import java.util.HashMap;
import java.util.HashSet;
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
 * Sends each merged change to its shard's side output, and a schema change to every shard. With
 * several tables of it per shard (分表) or other target names, each change is addressed to its table
 * there ({@link ChangeEvent#target}). An update that changes where a row belongs (shard or table)
 * is a move: a delete where it was and the write where it goes. While a reshard is in flight a
 * second (shadow) placement is kept current too: a row goes to its shard in each placement, and is
 * deleted from a shard neither placement keeps it on any more. A row that belongs on no shard (a
 * map rule's unlisted value) is a {@code TARGET_REJECTED} conflict, and an update that takes a row
 * there deletes it where it was, as verify's SQL expects. Its state is the placement the job's
 * state was built with, so a restore under another placement is refused ({@link RestoreGuard}).
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
    private final List<String> written;
    private final List<String> namedShards;
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

    /** The tables merged with others into one target ({@link RowKeys}). */
    private final Set<String> merged = new HashSet<>();

    /** Each table's {@code where} condition, compiled once; absent: every row is synced. */
    private transient Map<String, RowCondition> filters;

    /**
     * The target table of each slot (written shard × table of it there, {@code shard * tableCount +
     * table}), by source table; absent for a table written under the source's names.
     */
    private transient Map<String, String[]> targets;

    /** Each table's column mapping, compiled once; absent: written with the source's columns. */
    private transient Map<String, ColumnProjection> projections;

    /** The slots a change's row belongs in and was in: reused for every change. */
    private transient int[] nowSlots;

    private transient int[] wasSlots;

    private transient boolean acknowledged;
    private transient Counter moves;
    private transient Counter rejected;
    private transient Map<String, Counter> movesByTable;

    /**
     * {@code shardNames} is the placement (its order is the routing), {@code shadowNames} the
     * shadow placement (empty when none); each shard written gets one side output by name. {@code
     * namedShards} are the config's shards in order, whose positions target names use. {@code
     * guard} judges the placement of restored state; {@code acknowledgement} (null without a
     * reshard) is sent by the first subtask after its first completed checkpoint.
     */
    public RouteToShards(
            List<SyncTable> tables,
            List<String> shardNames,
            List<String> shadowNames,
            List<String> namedShards,
            RestoreGuard guard,
            PhaseAcknowledgement acknowledgement,
            Set<String> unorderedSources) {
        for (SyncTable table : tables) {
            this.tables.put(table.qualifiedName(), table);
        }
        Set<String> union = new LinkedHashSet<>(shardNames);
        union.addAll(shadowNames);
        this.written = List.copyOf(union);
        this.namedShards = List.copyOf(namedShards);
        this.shardTags = written.stream().map(SideOutputs::shard).toList();
        this.placement = shardNames.stream().mapToInt(written::indexOf).toArray();
        this.shadow = shadowNames.stream().mapToInt(written::indexOf).toArray();
        this.router = new ShardRouter(placement.length);
        this.shadowRouter = new ShardRouter(Math.max(1, shadow.length));
        this.guard = guard;
        this.acknowledgement = acknowledgement;
        this.unorderedSources = Set.copyOf(unorderedSources);
        RowKeys keys = RowKeys.of(tables);
        tables.stream().filter(keys::isMerged).forEach(t -> merged.add(t.qualifiedName()));
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
        projections = new HashMap<>();
        for (SyncTable table : tables.values()) {
            if (table.layout().columns() != null) {
                projections.put(table.qualifiedName(), new ColumnProjection(table));
            }
        }
        targets = new HashMap<>();
        int slots = written.size();
        for (SyncTable table : tables.values()) {
            int tableCount = table.layout().tableCount();
            slots = Math.max(slots, written.size() * tableCount);
            if (!table.layout().asAtSource()) {
                String[] names = new String[written.size() * tableCount];
                for (int shard = 0; shard < written.size(); shard++) {
                    List<SyncTable> onShard =
                            table.targetsOn(namedShards.indexOf(written.get(shard)));
                    for (int index = 0; index < tableCount; index++) {
                        names[shard * tableCount + index] = onShard.get(index).qualifiedName();
                    }
                }
                targets.put(table.qualifiedName(), names);
            }
        }
        nowSlots = new int[slots];
        wasSlots = new int[slots];
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
        if (change.op == Op.DDL) {
            // each sink applies it to the tables of the source's on its shard
            shardTags.forEach(tag -> ctx.output(tag, change));
            return;
        }
        SyncTable table = tables.get(name);
        RowCondition filter = filters.get(name);
        ChangeEvent event = filter == null ? change : filtered(filter, change);
        if (event == null) {
            return;
        }
        int belongs =
                event.op.writesRow() ? slotsOf(table, event.after, event.columns, nowSlots) : 0;
        int was = wasIn(table, event);
        if (event.op == Op.UPDATE && belongs > 0 && was > 0 && nowSlots[0] != wasSlots[0]) {
            moves.inc();
            movesByTable.get(name).inc();
        }
        String[] names = targets.get(name);
        ColumnProjection projection = projections.get(name);
        ChangeEvent written = projection == null ? event : projection.apply(event);
        for (int i = 0; i < was; i++) {
            if (!contains(nowSlots, belongs, wasSlots[i])) {
                emit(ctx, names, table, deleteOf(written), wasSlots[i]);
            }
        }
        if (belongs == 0 && event.op.writesRow()) {
            // a row on no shard is reported, not written
            rejected.inc();
            ctx.output(SideOutputs.CONFLICTS, unplaced(table, event));
            return;
        }
        for (int i = 0; i < belongs; i++) {
            emit(ctx, names, table, written, nowSlots[i]);
        }
    }

    /**
     * The delete of a change's row where it no longer belongs, with the image it had there: the
     * before image, or, for a new row that may be there from another table merged into the target,
     * the row as it is now (a guarded delete removes no newer copy).
     */
    private static ChangeEvent deleteOf(ChangeEvent change) {
        if (change.op == Op.DELETE) {
            return change;
        }
        ChangeEvent delete = change.withOp(Op.DELETE, change.key, null);
        if (delete.before == null) {
            delete.before = change.after;
        }
        return delete;
    }

    /**
     * Fills {@link #wasSlots} with the slots a row may be in before a change, and returns how many:
     * none for a new row, where its before image belongs, or every slot (the change's own among
     * them) where the shards may hold another image than that: for a source whose changes may
     * arrive out of order, and for a table merged with others into one target, whose key may have
     * been written from one of them.
     */
    private int wasIn(SyncTable table, ChangeEvent event) {
        boolean anywhere =
                merged.contains(event.qualifiedTable())
                        || event.op != Op.READ
                                && event.op != Op.INSERT
                                && unorderedSources.contains(event.sourceId);
        if (!anywhere) {
            return event.op == Op.READ || event.op == Op.INSERT || event.before == null
                    ? 0
                    : slotsOf(table, event.before, event.columns, wasSlots);
        }
        int slots = shardTags.size() * table.layout().tableCount();
        for (int slot = 0; slot < slots; slot++) {
            wasSlots[slot] = slot;
        }
        return slots;
    }

    /**
     * Fills {@code into} with the slots (shard × table of it there) an image of the table belongs
     * in, in the serving and the shadow placement, and returns how many; 0 for a row on no shard.
     */
    private int slotsOf(SyncTable table, String[] image, String[] columns, int[] into) {
        int tableCount = table.layout().tableCount();
        int index = router.tableOf(table, image, columns);
        if (index == ShardRouter.NO_SHARD) {
            return 0;
        }
        if (table.shardKeyIndex() < 0) {
            for (int shard = 0; shard < shardTags.size(); shard++) {
                into[shard] = shard * tableCount + index;
            }
            return shardTags.size();
        }
        int routed = router.shardOf(table, image, columns);
        if (routed == ShardRouter.NO_SHARD) {
            return 0;
        }
        into[0] = placement[routed] * tableCount + index;
        if (shadow.length == 0) {
            return 1;
        }
        into[1] = shadow[shadowRouter.shardOf(table, image, columns)] * tableCount + index;
        return into[1] == into[0] ? 1 : 2;
    }

    private static boolean contains(int[] slots, int count, int slot) {
        for (int i = 0; i < count; i++) {
            if (slots[i] == slot) {
                return true;
            }
        }
        return false;
    }

    /** Sends a change to a slot's shard, addressed to the slot's table there when renamed. */
    private void emit(Context ctx, String[] names, SyncTable table, ChangeEvent event, int slot) {
        int tableCount = table.layout().tableCount();
        ctx.output(shardTags.get(slot / tableCount), names == null ? event : event.to(names[slot]));
    }

    /**
     * The change as the shards see it through the table's {@code where}: unchanged while its row
     * meets the condition, a delete where the row was once an update makes it stop meeting it (as
     * well as for a source whose changes may arrive out of order, whose shards may hold any older
     * image, and for a table merged with others, whose key the shards may hold from another), and
     * nothing for a row the shards never held. An update that makes a row start meeting it writes
     * the row.
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
                        || merged.contains(change.qualifiedTable())
                        || (change.op == Op.UPDATE
                                && change.before != null
                                && filter.matches(change.before, change.columns));
        return held ? change.withOp(Op.DELETE, change.key, null) : null;
    }

    private Conflict unplaced(SyncTable table, ChangeEvent event) {
        boolean noTable = router.tableOf(table, event.after, event.columns) == ShardRouter.NO_SHARD;
        int key = noTable ? table.layout().tableKeyIndex() : table.shardKeyIndex();
        Conflict conflict = new Conflict(ConflictKind.TARGET_REJECTED, event, null, false);
        conflict.error =
                (noTable ? "no table for " : "no shard for ")
                        + table.columns().get(key).name()
                        + " '"
                        + event.after[table.indexIn(event.columns, key)]
                        + "': the map rule lists no such value and has no default";
        return conflict;
    }
}

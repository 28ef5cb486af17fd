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
    private final Map<String, SyncTable> shadowTables = new HashMap<>();
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

    /** Each table's slots (a table of it on a written shard), by source table. */
    private transient Map<String, TableSlots> slots;

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
     * {@code shardNames} is the placement (its order is the routing) of {@code tables}, {@code
     * shadowNames} the shadow placement (empty when none) of {@code shadowTables}, the same tables
     * by its rules; each shard written gets one side output by name. {@code namedShards} are the
     * config's shards in order, whose positions target names use. {@code guard} judges the
     * placement of restored state; {@code acknowledgement} (null without a reshard) is sent by the
     * first subtask after its first completed checkpoint.
     */
    public RouteToShards(
            List<SyncTable> tables,
            List<SyncTable> shadowTables,
            List<String> shardNames,
            List<String> shadowNames,
            List<String> namedShards,
            RestoreGuard guard,
            PhaseAcknowledgement acknowledgement,
            Set<String> unorderedSources) {
        for (SyncTable table : tables) {
            this.tables.put(table.qualifiedName(), table);
        }
        for (SyncTable table : shadowTables) {
            this.shadowTables.put(table.qualifiedName(), table);
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
        slots = new HashMap<>();
        int most = 0;
        for (SyncTable table : tables.values()) {
            TableSlots of =
                    new TableSlots(
                            table,
                            shadowTables.get(table.qualifiedName()),
                            placement,
                            shadow,
                            written,
                            namedShards);
            slots.put(table.qualifiedName(), of);
            most = Math.max(most, of.count());
        }
        nowSlots = new int[most];
        wasSlots = new int[most];
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
        TableSlots table = slots.get(name);
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
        ColumnProjection projection = projections.get(name);
        ChangeEvent written = projection == null ? event : projection.apply(event);
        for (int i = 0; i < was; i++) {
            if (!contains(nowSlots, belongs, wasSlots[i])) {
                emit(ctx, table, deleteOf(written), wasSlots[i]);
            }
        }
        if (belongs == 0 && event.op.writesRow()) {
            // a row on no shard is reported, not written
            rejected.inc();
            ctx.output(SideOutputs.CONFLICTS, unplaced(table.serving(), event));
            return;
        }
        for (int i = 0; i < belongs; i++) {
            emit(ctx, table, written, nowSlots[i]);
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
    private int wasIn(TableSlots table, ChangeEvent event) {
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
        for (int slot = 0; slot < table.count(); slot++) {
            wasSlots[slot] = slot;
        }
        return table.count();
    }

    /**
     * Fills {@code into} with the slots (a table of it on a shard) an image of the table belongs
     * in, in the serving and the shadow placement, and returns how many; 0 for a row on no shard.
     */
    private int slotsOf(TableSlots table, String[] image, String[] columns, int[] into) {
        int count = place(table, false, image, columns, into, 0);
        return shadow.length == 0 ? count : place(table, true, image, columns, into, count);
    }

    /**
     * Adds the slots one placement puts an image in to the {@code count} in {@code into}; returns
     * how many there are then.
     */
    private int place(
            TableSlots slots,
            boolean inShadow,
            String[] image,
            String[] columns,
            int[] into,
            int count) {
        SyncTable table = inShadow ? slots.shadow() : slots.serving();
        ShardRouter rules = inShadow ? shadowRouter : router;
        int index = rules.tableOf(table, image, columns);
        if (index == ShardRouter.NO_SHARD) {
            return count;
        }
        int shard = table.shardKeyIndex() < 0 ? 0 : rules.shardOf(table, image, columns);
        if (shard == ShardRouter.NO_SHARD) {
            return count;
        }
        int shards = table.shardKeyIndex() < 0 ? (inShadow ? shadow : placement).length : 1;
        for (int s = shard; s < shard + shards; s++) {
            int slot = slots.slot(inShadow, s, index);
            if (!contains(into, count, slot)) {
                into[count++] = slot;
            }
        }
        return count;
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
    private void emit(Context ctx, TableSlots slots, ChangeEvent event, int slot) {
        ctx.output(
                shardTags.get(slots.shard(slot)),
                slots.renamed() ? event.to(slots.name(slot)) : event);
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

package io.shardsync.route;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.MetricNames;
import io.shardsync.model.Op;
import io.shardsync.model.SideOutputs;
import io.shardsync.model.SyncTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends each merged change to its shard's side output. An update that changes the shard key is a
 * move: a delete on the old shard and the write on the new one.
 */
public class RouteToShards extends ProcessFunction<ChangeEvent, ChangeEvent> {
    private final Map<String, SyncTable> tables = new HashMap<>();
    private final List<OutputTag<ChangeEvent>> shardTags;
    private final ShardRouter router;
    private transient Counter moves;
    private transient Map<String, Counter> movesByTable;

    public RouteToShards(List<SyncTable> tables, List<String> shardNames) {
        for (SyncTable table : tables) {
            this.tables.put(table.qualifiedName(), table);
        }
        this.shardTags = shardNames.stream().map(SideOutputs::shard).toList();
        this.router = new ShardRouter(shardNames.size());
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(MetricNames.GROUP);
        moves = group.counter(MetricNames.MOVES);
        movesByTable = new HashMap<>();
        for (String table : tables.keySet()) {
            movesByTable.put(
                    table, group.addGroup(MetricNames.TABLE, table).counter(MetricNames.MOVES));
        }
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        String name = event.database + "." + event.table;
        SyncTable table = tables.get(name);
        int shard = router.shardOf(table, event.image());
        if (event.op == Op.UPDATE) {
            int oldShard = router.shardOf(table, event.before);
            if (oldShard != shard) {
                moves.inc();
                movesByTable.get(name).inc();
                ctx.output(shardTags.get(oldShard), event.withOp(Op.DELETE, event.key, null));
            }
        }
        if (shard == ShardRouter.ALL_SHARDS) {
            shardTags.forEach(tag -> ctx.output(tag, event));
        } else {
            ctx.output(shardTags.get(shard), event);
        }
    }
}

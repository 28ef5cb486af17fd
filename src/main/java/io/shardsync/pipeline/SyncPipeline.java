package io.shardsync.pipeline;

import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.merge.VersionMerge;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import io.shardsync.model.SideOutputs;
import io.shardsync.model.SyncTable;
import io.shardsync.route.RouteToShards;
import io.shardsync.source.ChangeWatermarks;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job's data path, top to bottom. The source and the shard sinks are passed in, so
 * tests can swap them.
 */
public final class SyncPipeline {
    static final String SOURCE_UID = "mysql-source";
    static final String MERGE_UID = "version-merge";
    static final String ROUTE_UID = "shard-router";
    static final String CONFLICT_LOG_UID = "conflict-log";

    private final JobConfig config;
    private final List<SyncTable> tables;

    public SyncPipeline(JobConfig config, List<SyncTable> tables) {
        this.config = config;
        this.tables = tables;
    }

    public void build(
            StreamExecutionEnvironment env,
            Source<ChangeEvent, ?, ?> source,
            Function<ShardConfig, Sink<ChangeEvent>> shardSink) {
        SingleOutputStreamOperator<ChangeEvent> merged = merge(changes(env, source));
        SingleOutputStreamOperator<ChangeEvent> routed = route(merged);
        for (ShardConfig shard : config.shards()) {
            // shard side output ---> shard tables
            routed.getSideOutput(SideOutputs.shard(shard.name()))
                    .sinkTo(shardSink.apply(shard))
                    .uid("shard-sink-" + shard.name())
                    .name("Shard sink: " + shard.name());
        }
        logConflicts(merged.getSideOutput(SideOutputs.CONFLICTS));
    }

    /** binlog ---> change events with event time (source commit time) and watermarks. */
    private DataStream<ChangeEvent> changes(
            StreamExecutionEnvironment env, Source<ChangeEvent, ?, ?> source) {
        long outOfOrderness = config.outOfOrderness().toMillis();
        long idleness = config.sourceIdleness().toMillis();
        WatermarkStrategy<ChangeEvent> watermarks =
                WatermarkStrategy.<ChangeEvent>forGenerator(
                                context ->
                                        new ChangeWatermarks(
                                                outOfOrderness,
                                                idleness,
                                                System::currentTimeMillis))
                        .withTimestampAssigner((event, previous) -> event.sourceTimeMs);
        return env.fromSource(source, watermarks, "MySQL binlog: " + config.source().id())
                .uid(SOURCE_UID);
    }

    /** change events ---> keyBy(table, primary key) ---> newest version per row. */
    private SingleOutputStreamOperator<ChangeEvent> merge(DataStream<ChangeEvent> changes) {
        return changes.keyBy(ChangeEvent::rowKey)
                .process(new VersionMerge(config.tombstoneRetention(), config.mergeMode()))
                .uid(MERGE_UID)
                .name("Version merge (" + config.mergeMode().configName() + ")");
    }

    /** merged changes ---> one side output per shard (moves split into delete + write). */
    private SingleOutputStreamOperator<ChangeEvent> route(DataStream<ChangeEvent> merged) {
        List<String> shardNames = config.shards().stream().map(ShardConfig::name).toList();
        return merged.process(new RouteToShards(tables, shardNames))
                .uid(ROUTE_UID)
                .name("Route to shards (" + shardNames.size() + ")");
    }

    /** conflicts ---> job log. */
    private void logConflicts(DataStream<Conflict> conflicts) {
        conflicts.sinkTo(new ConflictLogSink()).uid(CONFLICT_LOG_UID).name("Conflicts: log");
    }
}

package io.shardsync.pipeline;

import io.shardsync.config.JobConfig;
import io.shardsync.config.KafkaSourceConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.SourceConfig;
import io.shardsync.merge.VersionMerge;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.ChangeEventTypeInfo;
import io.shardsync.model.Conflict;
import io.shardsync.model.LatencySample;
import io.shardsync.model.RowKeys;
import io.shardsync.model.SideOutputs;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.PhaseAcknowledgement;
import io.shardsync.placement.Placement;
import io.shardsync.placement.RestoreGuard;
import io.shardsync.route.RouteToShards;
import io.shardsync.source.ChangeWatermarks;
import io.shardsync.source.KafkaMessage;
import io.shardsync.source.KafkaMessageParser;
import io.shardsync.source.ParseKafkaMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;

/**
 * The streaming job's data path, top to bottom. Sources, shard sinks and side-output destinations
 * are passed in, so tests can swap them.
 */
public final class SyncPipeline {
    static final String SOURCE_UID = "mysql-source-";
    static final String KAFKA_SOURCE_UID = "kafka-source-";
    static final String KAFKA_PARSE_UID = "kafka-parse-";
    static final String KAFKA_WATERMARKS_UID = "kafka-watermarks-";
    static final String MERGE_UID = "version-merge";
    static final String ROUTE_UID = "shard-router";
    static final String SHARD_SINK_UID = "shard-sink-";

    private final JobConfig config;
    private final List<SyncTable> tables;
    private final RestoreGuard restoreGuard;
    private final Placement placement;
    private final PhaseAcknowledgement acknowledgement;

    /**
     * The job of {@code config} writing {@code placement}; {@code acknowledgement} (null without a
     * reshard) is sent once the job runs.
     */
    public SyncPipeline(
            JobConfig config,
            Placement placement,
            List<SyncTable> tables,
            RestoreGuard restoreGuard,
            PhaseAcknowledgement acknowledgement) {
        this.config = config;
        this.placement = placement;
        this.acknowledgement = acknowledgement;
        this.tables = tables;
        this.restoreGuard = restoreGuard;
    }

    public void build(
            StreamExecutionEnvironment env,
            Function<SourceConfig, Source<ChangeEvent, ?, ?>> source,
            Function<KafkaSourceConfig, Source<KafkaMessage, ?, ?>> kafkaSource,
            Function<ShardConfig, OneInputStreamOperator<ChangeEvent, Void>> shardSink,
            SideOutputSinks sideOutputs) {
        List<SingleOutputStreamOperator<ChangeEvent>> topics = parsedTopics(env, kafkaSource);
        SingleOutputStreamOperator<ChangeEvent> merged = merge(changes(env, source, topics));
        sideOutputs.changes(merged, tables); // applied changes ---> change topics (if any)
        SingleOutputStreamOperator<ChangeEvent> routed = route(merged);
        DataStream<Conflict> conflicts =
                merged.getSideOutput(SideOutputs.CONFLICTS)
                        .union(routed.getSideOutput(SideOutputs.CONFLICTS));
        for (SingleOutputStreamOperator<ChangeEvent> parsed : topics) {
            conflicts = conflicts.union(parsed.getSideOutput(SideOutputs.CONFLICTS));
        }
        DataStream<LatencySample> latency = null;
        for (ShardConfig shard : placement.withSinks()) {
            // shard side output ---> shard tables (+ rejections, outages, latency samples)
            SingleOutputStreamOperator<Void> written =
                    routed.getSideOutput(SideOutputs.shard(shard.name()))
                            .transform(
                                    "Shard sink: " + shard.name(),
                                    Types.VOID,
                                    shardSink.apply(shard))
                            .uid(SHARD_SINK_UID + shard.name());
            conflicts = conflicts.union(written.getSideOutput(SideOutputs.CONFLICTS));
            DataStream<LatencySample> samples = written.getSideOutput(SideOutputs.LATENCY);
            latency = latency == null ? samples : latency.union(samples);
        }
        sideOutputs.conflicts(conflicts);
        sideOutputs.latency(latency);
    }

    /**
     * messages of every kafka source ---> change events (+ messages that do not parse, as
     * MALFORMED_MESSAGE conflicts).
     */
    private List<SingleOutputStreamOperator<ChangeEvent>> parsedTopics(
            StreamExecutionEnvironment env,
            Function<KafkaSourceConfig, Source<KafkaMessage, ?, ?>> kafkaSource) {
        List<SingleOutputStreamOperator<ChangeEvent>> parsed = new ArrayList<>();
        for (KafkaSourceConfig topics : config.kafkaSources()) {
            parsed.add(
                    env.fromSource(
                                    kafkaSource.apply(topics),
                                    WatermarkStrategy.noWatermarks(),
                                    "Kafka: " + topics.id())
                            .uid(KAFKA_SOURCE_UID + topics.id())
                            .process(
                                    new ParseKafkaMessages(
                                            new KafkaMessageParser(
                                                    topics.id(), topics.format(), tables)),
                                    ChangeEventTypeInfo.INSTANCE)
                            .uid(KAFKA_PARSE_UID + topics.id())
                            .name("Parse " + topics.format().configName() + ": " + topics.id()));
        }
        return parsed;
    }

    /**
     * binlog of every source, parsed kafka messages ---> change events with event time and
     * per-source watermarks.
     */
    private DataStream<ChangeEvent> changes(
            StreamExecutionEnvironment env,
            Function<SourceConfig, Source<ChangeEvent, ?, ?>> source,
            List<SingleOutputStreamOperator<ChangeEvent>> topics) {
        WatermarkStrategy<ChangeEvent> watermarks =
                ChangeWatermarks.strategy(
                        config.outOfOrderness(),
                        config.sourceIdleness(),
                        config.checkpointInterval());
        List<DataStream<ChangeEvent>> changes = new ArrayList<>();
        for (SourceConfig server : config.sources()) {
            changes.add(
                    env.fromSource(source.apply(server), watermarks, "MySQL binlog: " + server.id())
                            .uid(SOURCE_UID + server.id()));
        }
        for (int i = 0; i < topics.size(); i++) {
            String id = config.kafkaSources().get(i).id();
            changes.add(
                    topics.get(i)
                            .assignTimestampsAndWatermarks(watermarks)
                            .uid(KAFKA_WATERMARKS_UID + id)
                            .name("Event time: " + id));
        }
        DataStream<ChangeEvent> all = changes.get(0);
        for (DataStream<ChangeEvent> more : changes.subList(1, changes.size())) {
            all = all.union(more);
        }
        return all;
    }

    /**
     * change events ---> keyBy(table, primary key; merged tables: their target) ---> newest version
     * per row.
     */
    private SingleOutputStreamOperator<ChangeEvent> merge(DataStream<ChangeEvent> changes) {
        Set<String> arrivalOrdered =
                tables.stream()
                        .filter(t -> t.versionIndex() < 0)
                        .map(SyncTable::qualifiedName)
                        .collect(Collectors.toSet());
        return changes.keyBy(RowKeys.of(tables))
                .process(
                        new VersionMerge(
                                config.tombstoneRetention(), config.mergeMode(), arrivalOrdered))
                .uid(MERGE_UID)
                .name("Version merge (" + config.mergeMode().configName() + ")");
    }

    /**
     * merged changes ---> one side output per shard (moves split into delete + write), for the
     * placement and, during a reshard, the shadow placement (+ rows that belong on no shard).
     */
    private SingleOutputStreamOperator<ChangeEvent> route(DataStream<ChangeEvent> merged) {
        List<String> shardNames = placement.servingNames();
        List<String> shadowNames = placement.shadowNames();
        String shards =
                shadowNames.isEmpty()
                        ? String.valueOf(shardNames.size())
                        : shardNames.size() + " + " + shadowNames.size() + " kept current";
        Set<String> kafkaSources =
                config.kafkaSources().stream()
                        .map(KafkaSourceConfig::id)
                        .collect(Collectors.toSet());
        return merged.process(
                        new RouteToShards(
                                placement.servingTables(tables),
                                placement.shadowTables(tables),
                                shardNames,
                                shadowNames,
                                ShardConfig.names(config.namedShards()),
                                restoreGuard,
                                acknowledgement,
                                kafkaSources))
                .uid(ROUTE_UID)
                .name("Route to shards (" + shards + ")");
    }
}

package io.shardsync.pipeline;

import io.shardsync.config.JobConfig;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.Placement;
import io.shardsync.placement.Placements;
import io.shardsync.placement.ReshardWorkflow;
import io.shardsync.placement.RestoreGuard;
import io.shardsync.sink.ShardSinkOperator;
import io.shardsync.sink.TargetTables;
import io.shardsync.sink.records.ChangeMessages;
import io.shardsync.sink.records.ConflictFormat;
import io.shardsync.sink.records.ControlTableSink;
import io.shardsync.sink.records.LatencyFormat;
import io.shardsync.source.BeforeImages;
import io.shardsync.source.ChangeSources;
import io.shardsync.source.KafkaChanges;
import io.shardsync.source.SchemaLoader;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the sync job on an environment: settles the placement (a reshard in flight decides it),
 * reads table definitions, prepares the shards, wires the stages.
 */
public final class SyncJob {
    private static final Logger LOG = LoggerFactory.getLogger(SyncJob.class);

    /** Upper bound of rescaling; part of the savepoint's key-group layout, so never changed. */
    static final int MAX_PARALLELISM = 128;

    private SyncJob() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config) throws Exception {
        Optional<ReshardWorkflow> reshard = Placements.workflow(config);
        Placement placement = Placements.of(config, reshard);
        reshard.ifPresent(
                w ->
                        LOG.info(
                                "Reshard {}: writing {} (serving) and {} (kept current)",
                                w.phase(),
                                placement.servingNames(),
                                placement.shadowNames()));
        List<SyncTable> tables = SchemaLoader.load(config);
        TargetTables.prepare(config, placement, tables);
        if (config.controlDatabase() != null) {
            ControlTableSink.prepare(
                    config.controlDatabase(), List.of(new ConflictFormat(), new LatencyFormat()));
        }
        configure(env, config);
        new SyncPipeline(
                        config,
                        placement,
                        tables,
                        RestoreGuard.of(placement, tables, reshard),
                        Placements.acknowledgement(config, reshard).orElse(null))
                .build(
                        env,
                        source ->
                                ChangeSources.mysql(
                                        source,
                                        tables,
                                        MAX_PARALLELISM,
                                        BeforeImages.of(
                                                placement.servingTables(tables),
                                                placement.shadowTables(tables),
                                                new ChangeMessages(config.tables(), tables)
                                                        ::publishes)),
                        KafkaChanges::source,
                        shard ->
                                new ShardSinkOperator(
                                        shard,
                                        config.namedShards().indexOf(shard),
                                        placement.tablesOn(shard.name(), tables),
                                        config.delivery(),
                                        config.sink(),
                                        config.tombstoneRetention(),
                                        config.latencySampleEvery()),
                        new SideOutputSinks(config));
    }

    static void configure(StreamExecutionEnvironment env, JobConfig config) {
        Configuration state = new Configuration();
        state.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        state.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        state.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        env.configure(state);
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.setParallelism(config.parallelism());
        env.setMaxParallelism(MAX_PARALLELISM);
        env.getConfig().disableGenericTypes(); // every type on the wire has a Flink serializer
        // Chained operators (merge -> router -> shard sinks) hand records over without a deep copy:
        // no operator changes a record after emitting it (moves emit new copies), and records from
        // the network are always fresh instances.
        env.getConfig().enableObjectReuse();
    }
}

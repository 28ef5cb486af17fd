package io.shardsync.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/** The whole job definition, immutable and validated (see {@link ConfigLoader}). */
public record JobConfig(
        String name,
        SourceConfig source,
        List<ShardConfig> shards,
        List<TableConfig> tables,
        DeliveryMode delivery,
        MergeMode mergeMode,
        int parallelism,
        Duration checkpointInterval,
        Duration outOfOrderness,
        Duration sourceIdleness,
        Duration tombstoneRetention,
        SinkConfig sink)
        implements Serializable {}

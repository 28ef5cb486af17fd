package io.shardsync.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/** The whole job definition, immutable and validated (see {@link ConfigLoader}). */
public record JobConfig(
        String name,
        List<SourceConfig> sources,
        List<ShardConfig> shards,
        List<TableConfig> tables,
        DeliveryMode delivery,
        MergeMode mergeMode,
        int parallelism,
        Duration checkpointInterval,
        Duration outOfOrderness,
        Duration sourceIdleness,
        Duration tombstoneRetention,
        SinkConfig sink,
        ControlDatabaseConfig controlDatabase,
        KafkaConfig kafka,
        Destinations conflicts,
        Destinations latency,
        int latencySampleEvery)
        implements Serializable {

    /**
     * The one source of a batch mode, which compares that source with the shards. Several sources
     * hold overlapping rows whose merge only the streaming job knows.
     */
    public SourceConfig singleSource() {
        if (sources.size() != 1) {
            throw new ConfigException(
                    "sources",
                    "this mode compares one source with the shards; the config has "
                            + sources.size());
        }
        return sources.get(0);
    }
}

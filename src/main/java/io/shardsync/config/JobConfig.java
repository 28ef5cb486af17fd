package io.shardsync.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The whole job definition, immutable and validated (see {@link ConfigLoader}). {@code sources} are
 * the binlog sources ({@code kind: mysql}), {@code kafkaSources} the topics ({@code kind: kafka});
 * a job has at least one of either. {@code newShards} are servers a reshard may add ({@code --mode
 * reshard}); the job writes them only as its reshard workflow's phase says.
 */
public record JobConfig(
        String name,
        List<SourceConfig> sources,
        List<KafkaSourceConfig> kafkaSources,
        List<ShardConfig> shards,
        List<ShardConfig> newShards,
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
     * Every shard the config names: the placement's and those a reshard may move rows to. The job
     * and the reshard steps connect to no other (a reshard workflow is checked against these).
     */
    public List<ShardConfig> namedShards() {
        return ShardConfig.union(shards, newShards);
    }

    /**
     * The one source of a batch mode, which compares that source with the shards. Several sources
     * hold overlapping rows whose merge only the streaming job knows.
     */
    public SourceConfig singleSource() {
        if (sources.size() != 1 || !kafkaSources.isEmpty()) {
            throw new ConfigException(
                    "sources",
                    "this mode compares one source with the shards; the config has "
                            + sources.size()
                            + (kafkaSources.isEmpty()
                                    ? ""
                                    : " (and " + kafkaSources.size() + " of kind kafka)"));
        }
        return sources.get(0);
    }

    /**
     * The MySQL servers that define the synced tables: the binlog sources, then the kafka sources'
     * {@code schemaFrom} servers. The first defines them; the others must agree.
     */
    public List<SourceConfig> schemaServers() {
        List<SourceConfig> servers = new ArrayList<>(sources);
        kafkaSources.stream()
                .map(KafkaSourceConfig::schemaFrom)
                .filter(Objects::nonNull)
                .forEach(servers::add);
        return List.copyOf(servers);
    }
}

package io.shardsync.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        int latencySampleEvery,
        List<ShardConfig> shadowShards,
        List<ShardConfig> retiredShards)
        implements Serializable {

    /**
     * The same job with another placement: {@code shards} serve readers and are what verify checks;
     * {@code shadowShards} (empty but during a reshard) are kept current beside them; {@code
     * retiredShards} are a reshard's shards the job no longer writes, whose sinks stay in the job,
     * idle, so a savepoint of the job before restores without dropping state.
     */
    public JobConfig withPlacement(
            List<ShardConfig> shards,
            List<ShardConfig> shadowShards,
            List<ShardConfig> retiredShards) {
        return new JobConfig(
                name,
                sources,
                kafkaSources,
                List.copyOf(shards),
                newShards,
                tables,
                delivery,
                mergeMode,
                parallelism,
                checkpointInterval,
                outOfOrderness,
                sourceIdleness,
                tombstoneRetention,
                sink,
                controlDatabase,
                kafka,
                conflicts,
                latency,
                latencySampleEvery,
                List.copyOf(shadowShards),
                List.copyOf(retiredShards));
    }

    /**
     * Every shard the config names: the placement's and those a reshard may move rows to. The job
     * and the reshard steps connect to no other (a reshard workflow is checked against these).
     */
    public List<ShardConfig> namedShards() {
        return union(shards, newShards);
    }

    /** Every shard the stream writes: the placement's, then the shadow placement's others. */
    public List<ShardConfig> writtenShards() {
        return union(shards, shadowShards);
    }

    /** Every shard with a sink in the job: the written ones and the retired ones. */
    public List<ShardConfig> sinkShards() {
        return union(writtenShards(), retiredShards);
    }

    /** The shards of both lists, each once (by name), in order. */
    public static List<ShardConfig> union(List<ShardConfig> first, List<ShardConfig> second) {
        Map<String, ShardConfig> union = new LinkedHashMap<>();
        first.forEach(s -> union.put(s.name(), s));
        second.forEach(s -> union.putIfAbsent(s.name(), s));
        return List.copyOf(union.values());
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

package io.shardsync.placement;

import io.shardsync.config.ShardConfig;
import java.io.Serializable;
import java.util.List;

/**
 * Which shards the job routes to, settled once per submission: {@code serving} is the placement
 * readers use and verify checks (its order is the routing); {@code shadow} (empty but during a
 * reshard) is a second placement kept current beside it; {@code retired} are a reshard's shards the
 * job no longer writes, whose sinks stay in the job, idle, so a savepoint of the job before
 * restores without dropping state.
 */
public record Placement(
        List<ShardConfig> serving, List<ShardConfig> shadow, List<ShardConfig> retired)
        implements Serializable {

    public Placement {
        serving = List.copyOf(serving);
        shadow = List.copyOf(shadow);
        retired = List.copyOf(retired);
    }

    /** The placement of a job without a reshard: its config's shards. */
    public static Placement of(List<ShardConfig> shards) {
        return new Placement(shards, List.of(), List.of());
    }

    /** Every shard the stream writes: the serving placement's, then the shadow's others. */
    public List<ShardConfig> written() {
        return ShardConfig.union(serving, shadow);
    }

    /** Every shard with a sink in the job: the written ones and the retired ones. */
    public List<ShardConfig> withSinks() {
        return ShardConfig.union(written(), retired);
    }

    public List<String> servingNames() {
        return ShardConfig.names(serving);
    }

    public List<String> shadowNames() {
        return ShardConfig.names(shadow);
    }
}

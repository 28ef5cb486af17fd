package io.shardsync.placement;

import io.shardsync.config.ShardConfig;
import io.shardsync.config.TableRoutes;
import io.shardsync.model.SyncTable;
import io.shardsync.source.RoutedTables;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which shards the job routes to, and by which rules, settled once per submission: {@code serving}
 * is the placement readers use and verify checks (its order is the routing); {@code shadow} (empty
 * but during a reshard) is a second placement kept current beside it; {@code retired} are a
 * reshard's shards the job no longer writes, whose sinks stay in the job, idle, so a savepoint of
 * the job before restores without dropping state. Each has its table rules: the config's, or a
 * reshard's new ones ({@link TableRoutes}).
 */
public record Placement(
        List<ShardConfig> serving,
        List<ShardConfig> shadow,
        List<ShardConfig> retired,
        TableRoutes servingRoutes,
        TableRoutes shadowRoutes,
        TableRoutes retiredRoutes)
        implements Serializable {

    public Placement {
        serving = List.copyOf(serving);
        shadow = List.copyOf(shadow);
        retired = List.copyOf(retired);
    }

    /** The placement of a job without a reshard: its config's shards and rules. */
    public static Placement of(List<ShardConfig> shards) {
        return new Placement(
                shards, List.of(), List.of(), TableRoutes.NONE, TableRoutes.NONE, TableRoutes.NONE);
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

    /** The config's tables as the serving placement routes them. */
    public List<SyncTable> servingTables(List<SyncTable> tables) {
        return RoutedTables.of(tables, servingRoutes);
    }

    /** The config's tables as the shadow placement routes them. */
    public List<SyncTable> shadowTables(List<SyncTable> tables) {
        return RoutedTables.of(tables, shadowRoutes);
    }

    /**
     * The config's tables as routed on a shard with a sink: by each placement that writes it (both,
     * when its tables differ), or, retired, by the one that did.
     */
    public List<SyncTable> tablesOn(String shard, List<SyncTable> tables) {
        List<SyncTable> on = new ArrayList<>();
        if (servingNames().contains(shard)) {
            on.addAll(servingTables(tables));
        }
        if (shadowNames().contains(shard)
                && !(servingNames().contains(shard) && shadowRoutes.equals(servingRoutes))) {
            on.addAll(shadowTables(tables));
        }
        if (ShardConfig.names(retired).contains(shard)) {
            on.addAll(RoutedTables.of(tables, retiredRoutes));
        }
        return on;
    }
}

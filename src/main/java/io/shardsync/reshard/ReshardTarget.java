package io.shardsync.reshard;

import io.shardsync.config.ConfigException;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.config.PlacementFile;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.TableRoutes;
import io.shardsync.placement.ReshardWorkflow;
import java.util.List;
import java.util.Optional;

/**
 * The new placement named on the command line ({@code --to FILE} with a {@code shards:} list and,
 * for entries whose rules change, a {@code tables:} list), checked against the job's config and the
 * placement the reshard moves from.
 */
final class ReshardTarget {
    private final Optional<String> file;

    ReshardTarget(Optional<String> file) {
        this.file = file;
    }

    /**
     * The shards of {@code --to}: another placement than {@code from}, where a shard of the same
     * name is the same server. Without {@code --to}, {@code running} (a reshard in flight) or an
     * error.
     */
    List<ShardConfig> shards(List<ShardConfig> from, Optional<ReshardWorkflow> running)
            throws Exception {
        if (file.isEmpty()) {
            return running.map(ReshardWorkflow::to)
                    .orElseThrow(
                            () ->
                                    new IllegalArgumentException(
                                            "missing --to <file with the new shards: list>"));
        }
        List<ShardConfig> to = ConfigLoader.loadPlacement(file.get()).shards();
        for (ShardConfig shard : to) {
            for (ShardConfig old : from) {
                if (old.name().equals(shard.name()) && !old.sameServer(shard)) {
                    throw new ConfigException(
                            "--to",
                            "shard '"
                                    + shard.name()
                                    + "' is another server than the current placement's; a new"
                                    + " shard needs a new name");
                }
            }
        }
        return to;
    }

    /**
     * The rules of {@code --to} ({@code running}'s without it): what its {@code tables:} list
     * changes, each entry's rule checked to place rows on its shards. A placement with the current
     * shards must change some rule.
     */
    TableRoutes routes(JobConfig config, List<ShardConfig> from, Optional<ReshardWorkflow> running)
            throws Exception {
        if (file.isEmpty()) {
            return running.map(ReshardWorkflow::routes).orElse(TableRoutes.NONE);
        }
        PlacementFile placement = ConfigLoader.loadPlacement(file.get());
        TableRoutes routes = placement.routes(config);
        routes.requireKeptRulesFit(config, placement.shards().size());
        if (routes.isEmpty() && ShardConfig.samePlacement(placement.shards(), from)) {
            throw new ConfigException(
                    "--to", "the shards are the current placement and no table's rules change");
        }
        return routes;
    }

    /** Refuses a {@code --to} that is not the new placement of the reshard in flight. */
    void requireSameAs(JobConfig config, ReshardWorkflow running) throws Exception {
        if (file.isEmpty()) {
            return;
        }
        PlacementFile placement = ConfigLoader.loadPlacement(file.get());
        if (!ShardConfig.samePlacement(placement.shards(), running.to())
                || !placement.routes(config).routes().equals(running.routes().routes())) {
            throw new ConfigException(
                    "--to",
                    "differs from the running reshard's new placement "
                            + ShardConfig.names(running.to()));
        }
    }
}

package io.shardsync.reshard;

import io.shardsync.config.ConfigException;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.ShardRule;
import java.util.List;
import java.util.Optional;

/**
 * The new placement named on the command line ({@code --to FILE} with a {@code shards:} list),
 * checked against the job's config and the placement the reshard moves from.
 */
final class ReshardTarget {
    private final Optional<String> file;

    ReshardTarget(Optional<String> file) {
        this.file = file;
    }

    boolean given() {
        return file.isPresent();
    }

    /**
     * The shards of {@code --to}: another placement than {@code from}, where a shard of the same
     * name is the same server. Without {@code --to}, {@code running} (a reshard in flight) or an
     * error.
     */
    List<ShardConfig> shards(List<ShardConfig> from, Optional<List<ShardConfig>> running)
            throws Exception {
        if (file.isEmpty()) {
            return running.orElseThrow(
                    () ->
                            new IllegalArgumentException(
                                    "missing --to <file with the new shards: list>"));
        }
        List<ShardConfig> to = ConfigLoader.loadShards(file.get());
        if (ShardConfig.samePlacement(to, from)) {
            throw new ConfigException("--to", "the shards are the current placement");
        }
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

    /** Refuses a {@code --to} that is not the new placement of the reshard in flight. */
    void requireSameAs(List<ShardConfig> to) throws Exception {
        if (file.isPresent()
                && !ShardConfig.samePlacement(ConfigLoader.loadShards(file.get()), to)) {
            throw new ConfigException(
                    "--to",
                    "differs from the running reshard's new placement " + ShardConfig.names(to));
        }
    }

    /**
     * A reshard derives the new routing from the new shard count; range and map rules name their
     * shards by boundaries and values in the config, which a count cannot move.
     */
    static void requireCountRules(JobConfig config) {
        for (int i = 0; i < config.tables().size(); i++) {
            ShardRule rule = config.tables().get(i).shardRule();
            if (!rule.followsShardCount()) {
                throw new ConfigException(
                        "tables[" + i + "].shardRule",
                        "'"
                                + rule.kind().configName()
                                + "' places rows by the config's own "
                                + (rule.kind() == ShardRule.Kind.RANGE ? "ranges" : "values")
                                + ", not by a shard count, so a reshard (--to) cannot derive the"
                                + " new placement; resharding supports 'mod' and 'hash' tables");
            }
        }
    }
}

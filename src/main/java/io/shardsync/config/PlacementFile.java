package io.shardsync.config;

import java.util.List;

/**
 * A reshard's new placement as its {@code --to} file gives it: the shards, and the {@code tables:}
 * routes as JSON text (null: every entry keeps its rules), read with the job's config by {@link
 * TableRoutes#parse}.
 */
public record PlacementFile(List<ShardConfig> shards, String routes) {

    /** The routes, read for {@code config} on these shards. */
    public TableRoutes routes(JobConfig config) {
        return TableRoutes.parse(routes, config, shards.size());
    }
}

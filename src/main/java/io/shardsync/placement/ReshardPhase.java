package io.shardsync.placement;

import io.shardsync.config.ShardConfig;
import io.shardsync.config.TableRoutes;
import java.util.List;

/**
 * Where a reshard stands, as the streaming job sees it: which placement serves readers (and is what
 * verify checks) and which one is kept current beside it. A phase change takes effect when the job
 * is next submitted (a savepoint restart); the router's rule is config, never operator state.
 */
public enum ReshardPhase {
    /** Both placements written; the old one serves readers while the new one is filled. */
    DUAL(false, true),
    /**
     * Both placements written; the new one serves readers, the old one stays current for rollback.
     */
    SWITCHED(true, true),
    /**
     * Only the new placement written; the rows that moved are being deleted from the old shards.
     */
    CLEANING(true, false),
    /** Finished: the new placement only. */
    DONE(true, false),
    /** Only the old placement written; the copies are being deleted from the new shards. */
    ROLLING_BACK(false, false),
    /** Rolled back: the old placement only. */
    ROLLED_BACK(false, false);

    private final boolean newServes;
    private final boolean dual;

    ReshardPhase(boolean newServes, boolean dual) {
        this.newServes = newServes;
        this.dual = dual;
    }

    /**
     * This phase's placement of a reshard from {@code from} to {@code to}, where {@code routes} are
     * the new placement's rules.
     */
    public Placement placement(List<ShardConfig> from, List<ShardConfig> to, TableRoutes routes) {
        List<ShardConfig> serving = newServes ? to : from;
        List<ShardConfig> shadow = dual ? (newServes ? from : to) : List.of();
        TableRoutes servingRoutes = newServes ? routes : TableRoutes.NONE;
        TableRoutes shadowRoutes = dual && !newServes ? routes : TableRoutes.NONE;
        List<String> written = ShardConfig.names(ShardConfig.union(serving, shadow));
        List<ShardConfig> retired =
                ShardConfig.union(from, to).stream()
                        .filter(s -> !written.contains(s.name()))
                        .toList();
        // retired: the old shards once the new placement serves alone, else the new ones
        return new Placement(
                serving,
                shadow,
                retired,
                servingRoutes,
                shadowRoutes,
                newServes ? TableRoutes.NONE : routes);
    }

    /** Whether a job submitted in this phase writes as the other phase asks (no restart needed). */
    public boolean writesLike(ReshardPhase other) {
        return newServes == other.newServes && dual == other.dual;
    }

    /** Whether the workflow has ended, so another reshard may start. */
    public boolean finished() {
        return this == DONE || this == ROLLED_BACK;
    }
}

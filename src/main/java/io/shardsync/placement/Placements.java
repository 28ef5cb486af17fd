package io.shardsync.placement;

import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The placement a job runs with: the config's shards, unless a reshard workflow of the job is
 * stored in its control database, whose phase then decides (the old shards, the new ones, or both).
 */
public final class Placements {
    private Placements() {}

    /** The placement of the job now, as the batch tools check it. */
    public static Placement effective(JobConfig config) throws SQLException {
        return of(config, workflow(config));
    }

    /**
     * The job's reshard workflow, if its control database holds one; refused when it names a shard
     * other than as the config does ({@link ReshardWorkflow#namedBy}).
     */
    public static Optional<ReshardWorkflow> workflow(JobConfig config) throws SQLException {
        if (config.controlDatabase() == null) {
            return Optional.empty();
        }
        try (ReshardStore store = ReshardStore.open(config.controlDatabase())) {
            return store.load(config);
        }
    }

    /**
     * The placement of a job with the workflow already read, if it has one. The config's shards
     * must be one of the workflow's placements: never a third routing.
     */
    public static Placement of(JobConfig config, Optional<ReshardWorkflow> workflow) {
        if (workflow.isEmpty()) {
            return Placement.of(config.shards());
        }
        ReshardWorkflow reshard = workflow.get();
        if (!ShardConfig.samePlacement(config.shards(), reshard.from())
                && !ShardConfig.samePlacement(config.shards(), reshard.to())) {
            throw new ConfigException(
                    "shards",
                    "the reshard workflow of job '"
                            + reshard.job()
                            + "' ("
                            + reshard.phase()
                            + ") moves rows from "
                            + ShardConfig.names(reshard.from())
                            + " to "
                            + ShardConfig.names(reshard.to())
                            + "; this config lists "
                            + ShardConfig.names(config.shards())
                            + " (see --mode reshard --step status)");
        }
        return reshard.placement();
    }

    /**
     * What the streaming job, once it runs, sends so the reshard steps know it writes the
     * workflow's current phase; empty without a workflow.
     */
    public static Optional<PhaseAcknowledgement> acknowledgement(
            JobConfig config, Optional<ReshardWorkflow> workflow) {
        return workflow.map(
                w -> new PhaseAcknowledgement(config.controlDatabase(), w.job(), w.phase()));
    }
}

package io.shardsync.placement;

import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement a job runs with: the config's shards, unless a reshard workflow of the job is
 * stored in its control database, whose phase then decides (the old shards, the new ones, or both).
 */
public final class Placements {
    private static final Logger LOG = LoggerFactory.getLogger(Placements.class);

    private Placements() {}

    /** The config with the placement of the job's reshard workflow, if it has one. */
    public static JobConfig effective(JobConfig config) throws SQLException {
        if (config.controlDatabase() == null) {
            return config;
        }
        try (ReshardStore store = ReshardStore.open(config.controlDatabase())) {
            return store.load(config).map(w -> of(config, w)).orElse(config);
        }
    }

    /**
     * The reshard workflow a submission of the streaming job runs with, if the job has one (its
     * phase decides the placement: {@link #of}); records that the job now writes that phase, which
     * the reshard steps wait for.
     */
    public static Optional<ReshardWorkflow> submitted(JobConfig config) throws SQLException {
        if (config.controlDatabase() == null) {
            return Optional.empty();
        }
        try (ReshardStore store = ReshardStore.open(config.controlDatabase())) {
            Optional<ReshardWorkflow> stored = store.load(config);
            if (stored.isPresent()) {
                ReshardWorkflow workflow = stored.get();
                JobConfig placed = of(config, workflow);
                store.acknowledge(workflow.job(), workflow.phase());
                LOG.info(
                        "Reshard {}: writing {} (serving) and {} (kept current)",
                        workflow.phase(),
                        ShardConfig.names(placed.shards()),
                        ShardConfig.names(placed.shadowShards()));
            }
            return stored;
        }
    }

    /**
     * The config with the placement of a workflow already read. The config's shards must be one of
     * the workflow's placements: never a third routing.
     */
    public static JobConfig of(JobConfig config, ReshardWorkflow workflow) {
        if (!ShardConfig.samePlacement(config.shards(), workflow.from())
                && !ShardConfig.samePlacement(config.shards(), workflow.to())) {
            throw new ConfigException(
                    "shards",
                    "the reshard workflow of job '"
                            + workflow.job()
                            + "' ("
                            + workflow.phase()
                            + ") moves rows from "
                            + ShardConfig.names(workflow.from())
                            + " to "
                            + ShardConfig.names(workflow.to())
                            + "; this config lists "
                            + ShardConfig.names(config.shards())
                            + " (see --mode reshard --step status)");
        }
        return workflow.placement(config);
    }
}

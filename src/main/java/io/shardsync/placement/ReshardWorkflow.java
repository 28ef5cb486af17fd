package io.shardsync.placement;

import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.TableRoutes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One job's reshard from the {@code from} placement to the {@code to} placement, whose tables are
 * routed by the config's rules but for {@code routes}, as stored in the control database. {@code
 * jobPhase} is the phase the streaming job last ran with (it tells at its first completed
 * checkpoint, {@link PhaseAcknowledgement}): a step that needs the job to write differently waits
 * until it equals {@code phase}. {@code copiedAt} and {@code verifiedAt} are null until the copy
 * and a clean verify of the new placement.
 */
public record ReshardWorkflow(
        String job,
        ReshardPhase phase,
        List<ShardConfig> from,
        List<ShardConfig> to,
        TableRoutes routes,
        ReshardPhase jobPhase,
        Instant copiedAt,
        Instant verifiedAt) {

    public static ReshardWorkflow start(
            String job, List<ShardConfig> from, List<ShardConfig> to, TableRoutes routes) {
        return new ReshardWorkflow(job, ReshardPhase.DUAL, from, to, routes, null, null, null);
    }

    public ReshardWorkflow withPhase(ReshardPhase next) {
        return new ReshardWorkflow(job, next, from, to, routes, jobPhase, copiedAt, verifiedAt);
    }

    public ReshardWorkflow copied(Instant at) {
        return new ReshardWorkflow(job, phase, from, to, routes, jobPhase, at, verifiedAt);
    }

    public ReshardWorkflow verified(Instant at) {
        return new ReshardWorkflow(job, phase, from, to, routes, jobPhase, copiedAt, at);
    }

    /** Whether the running job was submitted with the current phase's placement. */
    public boolean jobRestarted() {
        return jobPhase != null && jobPhase.writesLike(phase);
    }

    /**
     * This workflow, when every shard it names is one {@code config} names, on the same server, as
     * the same user, with the same password reference. The control database is no place to decide
     * where the job connects or which secret it reads: that is the config's.
     */
    public ReshardWorkflow namedBy(JobConfig config) {
        List<ShardConfig> named = config.namedShards();
        Stream.concat(from.stream(), to.stream())
                .filter(shard -> !named.contains(shard))
                .findFirst()
                .ifPresent(
                        shard -> {
                            Optional<ShardConfig> same =
                                    named.stream()
                                            .filter(n -> n.name().equals(shard.name()))
                                            .findFirst();
                            throw new ConfigException(
                                    "newShards",
                                    "the reshard workflow of job '"
                                            + job
                                            + "' in the control database names shard '"
                                            + shard.name()
                                            + "' at "
                                            + where(shard)
                                            + "; this config "
                                            + same.map(n -> "names it at " + where(n))
                                                    .orElse("does not name it")
                                            + ". The job connects only to shards its config"
                                            + " names: list it under newShards (README: Scaling"
                                            + " out)");
                        });
        return this;
    }

    private static String where(ShardConfig shard) {
        return shard.url() + " as user " + shard.user() + ", password from " + shard.password();
    }

    /** The placement of the current phase. */
    public Placement placement() {
        return placement(phase);
    }

    /** The placement of one of its phases. */
    public Placement placement(ReshardPhase of) {
        return of.placement(from, to, routes);
    }
}

package io.shardsync.placement;

import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import java.time.Instant;
import java.util.List;

/**
 * One job's reshard from the {@code from} placement to the {@code to} placement, as stored in the
 * control database. {@code jobPhase} is the phase the streaming job was last submitted with: a step
 * that needs the job to write differently waits until it equals {@code phase}. {@code copiedAt} and
 * {@code verifiedAt} are null until the copy and a clean verify of the new placement.
 */
public record ReshardWorkflow(
        String job,
        ReshardPhase phase,
        List<ShardConfig> from,
        List<ShardConfig> to,
        ReshardPhase jobPhase,
        Instant copiedAt,
        Instant verifiedAt) {

    public static ReshardWorkflow start(String job, List<ShardConfig> from, List<ShardConfig> to) {
        return new ReshardWorkflow(job, ReshardPhase.DUAL, from, to, null, null, null);
    }

    public ReshardWorkflow withPhase(ReshardPhase next) {
        return new ReshardWorkflow(job, next, from, to, jobPhase, copiedAt, verifiedAt);
    }

    public ReshardWorkflow copied(Instant at) {
        return new ReshardWorkflow(job, phase, from, to, jobPhase, at, verifiedAt);
    }

    public ReshardWorkflow verified(Instant at) {
        return new ReshardWorkflow(job, phase, from, to, jobPhase, copiedAt, at);
    }

    /** Whether the running job was submitted with the current phase's placement. */
    public boolean jobRestarted() {
        return jobPhase != null && jobPhase.writesLike(phase);
    }

    /** The job's config with the placement of the current phase. */
    public JobConfig placement(JobConfig config) {
        return phase.placement(config, from, to);
    }
}

package io.shardsync.placement;

import io.shardsync.config.ControlDatabaseConfig;
import java.io.Serializable;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the reshard steps that the streaming job runs with a phase's placement. Sent by the running
 * job once it completed a checkpoint with it, never while its graph is built: a submission that
 * fails, or a job that never starts, must not let a step go on as if the job kept both placements
 * current.
 */
public final class PhaseAcknowledgement implements Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(PhaseAcknowledgement.class);

    private final ControlDatabaseConfig control;
    private final String job;
    private final ReshardPhase phase;

    PhaseAcknowledgement(ControlDatabaseConfig control, String job, ReshardPhase phase) {
        this.control = control;
        this.job = job;
        this.phase = phase;
    }

    /**
     * Records the phase in the job's workflow; returns whether it did. A control database that
     * cannot be reached only delays it (the caller tries again at its next checkpoint): the job
     * keeps writing.
     */
    public boolean send() {
        try (ReshardStore store = ReshardStore.open(control)) {
            store.acknowledge(job, phase);
            LOG.info("Reshard of job {}: the job runs with the {} placement", job, phase);
            return true;
        } catch (SQLException e) {
            LOG.warn(
                    "Reshard of job {}: could not record that the job runs with the {} placement"
                            + " (tried again at the next checkpoint): {}",
                    job,
                    phase,
                    e.getMessage());
            return false;
        }
    }
}

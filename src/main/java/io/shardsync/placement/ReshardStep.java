package io.shardsync.placement;

import static io.shardsync.placement.ReshardPhase.CLEANING;
import static io.shardsync.placement.ReshardPhase.DONE;
import static io.shardsync.placement.ReshardPhase.DUAL;
import static io.shardsync.placement.ReshardPhase.ROLLED_BACK;
import static io.shardsync.placement.ReshardPhase.ROLLING_BACK;
import static io.shardsync.placement.ReshardPhase.SWITCHED;

import java.util.List;

/**
 * The steps of a started reshard and the phases each may begin in: the workflow's transitions, all
 * in one place. A step that changes the phase enters it when it begins ({@link #begin}), so a step
 * interrupted midway resumes in its own phase; cleanup and rollback end in a phase of their own.
 */
public enum ReshardStep {
    /** Copies the rows that move to the new placement, while the job keeps both current. */
    COPY(null, null, DUAL),
    /** Verifies the new placement, after the copy. */
    VERIFY(null, null, DUAL, SWITCHED),
    /** The new placement serves readers; the old one is kept current for a rollback. */
    SWITCH(SWITCHED, null, DUAL),
    /** Deletes the moved rows from the old shards, once the job writes the new placement only. */
    CLEANUP(CLEANING, DONE, SWITCHED),
    /** Deletes the copies from the new shards, once the job writes the old placement only. */
    ROLLBACK(ROLLING_BACK, ROLLED_BACK, DUAL, SWITCHED);

    private final ReshardPhase enters;
    private final ReshardPhase ends;
    private final List<ReshardPhase> beginsIn;

    ReshardStep(ReshardPhase enters, ReshardPhase ends, ReshardPhase... beginsIn) {
        this.enters = enters;
        this.ends = ends;
        this.beginsIn = List.of(beginsIn);
    }

    /** The step named on the command line, e.g. {@code cleanup}. */
    public static ReshardStep named(String name) {
        for (ReshardStep step : values()) {
            if (step.configName().equals(name)) {
                return step;
            }
        }
        throw new IllegalArgumentException(
                "unknown --step '"
                        + name
                        + "' (steps: plan, start, copy, verify, switch, cleanup, rollback,"
                        + " status)");
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The workflow with this step begun: in the phase the step enters (unchanged when it is in it
     * already). Refused, naming the reason, when the workflow is in no phase the step may begin in
     * or a step it needs first has not been done.
     */
    public ReshardWorkflow begin(ReshardWorkflow workflow) {
        ReshardPhase phase = workflow.phase();
        if (phase == enters) {
            return workflow;
        }
        if (!beginsIn.contains(phase)) {
            throw new IllegalArgumentException(
                    configName()
                            + " needs the reshard in "
                            + beginsIn
                            + "; it is "
                            + phase
                            + " (--step status)");
        }
        if (this == VERIFY && workflow.copiedAt() == null) {
            throw new IllegalArgumentException("verify comes after --step copy");
        }
        if (this == SWITCH && workflow.verifiedAt() == null) {
            throw new IllegalArgumentException(
                    "switch needs a clean --step verify of the new placement first");
        }
        return enters == null ? workflow : workflow.withPhase(enters);
    }

    /** Whether this step has nothing left to do: the workflow is in the phase it ends in. */
    public boolean isDone(ReshardWorkflow workflow) {
        return ends != null && workflow.phase() == ends;
    }

    /** The phase the step leaves when it finishes (null: it leaves the phase as it is). */
    public ReshardPhase ends() {
        return ends;
    }
}

package io.shardsync.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.Secret;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.TableRoutes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The reshard workflow's transitions: for every step and phase, where the step goes or why not. */
class ReshardStepTest {
    private static final List<ShardConfig> FROM =
            List.of(new ShardConfig("a", "jdbc:x", "u", new Secret("P", null)));
    private static final List<ShardConfig> TO =
            List.of(FROM.get(0), new ShardConfig("b", "jdbc:y", "u", new Secret("P", null)));

    /** A workflow in the phase, copied and verified. */
    private static ReshardWorkflow in(ReshardPhase phase) {
        return ReshardWorkflow.start("job", FROM, TO, TableRoutes.NONE)
                .withPhase(phase)
                .copied(Instant.EPOCH)
                .verified(Instant.EPOCH);
    }

    /** The phase the step begins the workflow in, or "refused". */
    private static String begin(ReshardStep step, ReshardWorkflow workflow) {
        try {
            return step.begin(workflow).phase().name();
        } catch (IllegalArgumentException refused) {
            return "refused";
        }
    }

    @Test
    void everyStepBeginsOnlyInItsPhases() {
        Map<String, String> expected = new TreeMap<>();
        for (ReshardPhase phase : ReshardPhase.values()) {
            for (ReshardStep step : ReshardStep.values()) {
                expected.put(step + " in " + phase, "refused");
            }
        }
        expected.put("COPY in DUAL", "DUAL");
        expected.put("VERIFY in DUAL", "DUAL");
        expected.put("VERIFY in SWITCHED", "SWITCHED");
        expected.put("SWITCH in DUAL", "SWITCHED");
        expected.put("SWITCH in SWITCHED", "SWITCHED"); // again: nothing changes
        expected.put("CLEANUP in SWITCHED", "CLEANING");
        expected.put("CLEANUP in CLEANING", "CLEANING"); // resumed
        expected.put("ROLLBACK in DUAL", "ROLLING_BACK");
        expected.put("ROLLBACK in SWITCHED", "ROLLING_BACK");
        expected.put("ROLLBACK in ROLLING_BACK", "ROLLING_BACK"); // resumed

        Map<String, String> actual = new TreeMap<>();
        for (ReshardPhase phase : ReshardPhase.values()) {
            for (ReshardStep step : ReshardStep.values()) {
                actual.put(step + " in " + phase, begin(step, in(phase)));
            }
        }
        assertEquals(expected, actual);
    }

    @Test
    void verifyNeedsTheCopyAndSwitchNeedsACleanVerify() {
        ReshardWorkflow started = ReshardWorkflow.start("job", FROM, TO, TableRoutes.NONE);
        assertEquals(
                "verify comes after --step copy",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ReshardStep.VERIFY.begin(started))
                        .getMessage());
        ReshardWorkflow copied = started.copied(Instant.EPOCH);
        assertEquals(ReshardPhase.DUAL, ReshardStep.VERIFY.begin(copied).phase());
        assertThrows(IllegalArgumentException.class, () -> ReshardStep.SWITCH.begin(copied));
        assertEquals(
                ReshardPhase.SWITCHED,
                ReshardStep.SWITCH.begin(copied.verified(Instant.EPOCH)).phase());
    }

    @Test
    void cleanupAndRollbackEndInTheirOwnPhase() {
        assertEquals(ReshardPhase.DONE, ReshardStep.CLEANUP.ends());
        assertEquals(ReshardPhase.ROLLED_BACK, ReshardStep.ROLLBACK.ends());
        assertTrue(ReshardStep.CLEANUP.isDone(in(ReshardPhase.DONE)));
        assertFalse(ReshardStep.CLEANUP.isDone(in(ReshardPhase.CLEANING)));
        assertTrue(ReshardStep.ROLLBACK.isDone(in(ReshardPhase.ROLLED_BACK)));
        assertFalse(ReshardStep.COPY.isDone(in(ReshardPhase.DUAL)));
    }

    @Test
    void aRefusalNamesTheStepThePhasesAndWhatToRun() {
        String message =
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ReshardStep.CLEANUP.begin(in(ReshardPhase.DUAL)))
                        .getMessage();
        assertEquals(
                "cleanup needs the reshard in [SWITCHED]; it is DUAL (--step status)", message);
        assertEquals(ReshardStep.ROLLBACK, ReshardStep.named("rollback"));
        assertThrows(IllegalArgumentException.class, () -> ReshardStep.named("finish"));
    }

    @Test
    void theJobRunsWithAPhaseOnlyWhenItWritesAsThePhaseAsks() {
        ReshardWorkflow dual = in(ReshardPhase.DUAL);
        assertFalse(dual.jobRestarted());
        ReshardWorkflow acknowledged =
                new ReshardWorkflow(
                        "job",
                        ReshardPhase.SWITCHED,
                        FROM,
                        TO,
                        TableRoutes.NONE,
                        ReshardPhase.DUAL,
                        null,
                        null);
        assertFalse(acknowledged.jobRestarted(), "DUAL writes both, but the old one serves");
        ReshardWorkflow cleaning =
                new ReshardWorkflow(
                        "job",
                        ReshardPhase.DONE,
                        FROM,
                        TO,
                        TableRoutes.NONE,
                        ReshardPhase.CLEANING,
                        null,
                        null);
        assertTrue(cleaning.jobRestarted(), "CLEANING and DONE write alike");
    }
}

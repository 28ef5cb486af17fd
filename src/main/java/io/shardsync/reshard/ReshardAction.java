package io.shardsync.reshard;

import io.shardsync.Action;
import io.shardsync.CommandLine;
import io.shardsync.config.ConfigException;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.placement.ReshardStep;
import io.shardsync.placement.ReshardStore;
import io.shardsync.placement.ReshardWorkflow;
import io.shardsync.verify.VerifyOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code --mode reshard --config FILE --step STEP [--to FILE] [--wait-for-job-seconds N]}: moves a
 * job's rows to a new placement (e.g. 2 → 4 shards) while the streaming job runs. Steps, each
 * idempotent and resumable (the workflow lives in the control database): {@code plan} (rows that
 * move, nothing written), {@code start} (the job, once restarted from a savepoint, keeps both
 * placements current), {@code copy}, {@code verify} (the new placement), {@code switch} (the new
 * placement serves), {@code cleanup} (delete the moved rows from the old shards, verify again) or
 * {@code rollback} (until cleanup: back to the old placement), and {@code status}. A step that
 * needs the job to write differently first exits with {@value #WAITING_FOR_RESTART} until the job
 * runs with it (waiting up to {@code --wait-for-job-seconds} for that, default 0).
 */
public class ReshardAction implements Action {
    /** Exit code of a step that waits for the job's savepoint restart. */
    public static final int WAITING_FOR_RESTART = 3;

    private final CommandLine commandLine;
    private final PrintStream out;

    public ReshardAction(CommandLine commandLine) {
        this(commandLine, System.out);
    }

    ReshardAction(CommandLine commandLine, PrintStream out) {
        this.commandLine = commandLine;
        this.out = out;
    }

    @Override
    public int run() throws Exception {
        JobConfig config = ConfigLoader.load(commandLine.required("config"));
        if (config.controlDatabase() == null) {
            throw new ConfigException(
                    "controlDatabase", "a reshard keeps its workflow there; the config has none");
        }
        ReshardTarget target = new ReshardTarget(commandLine.get("to"));
        String step = commandLine.required("step");
        try (ReshardStore store = ReshardStore.open(config.controlDatabase())) {
            ReshardSteps steps =
                    new ReshardSteps(
                            config,
                            store,
                            CopyOptions.from(commandLine),
                            VerifyOptions.from(commandLine),
                            Duration.ofSeconds(
                                    Long.parseLong(
                                            commandLine.get("wait-for-job-seconds").orElse("0"))),
                            out);
            Optional<ReshardWorkflow> stored = store.load(config);
            if (step.equals("plan")) {
                return steps.plan(target, stored);
            }
            if (step.equals("start")) {
                return steps.start(target, stored);
            }
            ReshardWorkflow workflow =
                    stored.orElseThrow(
                            () ->
                                    new IllegalArgumentException(
                                            "job '"
                                                    + config.name()
                                                    + "' has no reshard; begin with --step start --to FILE"));
            target.requireSameAs(config, workflow);
            if (step.equals("status")) {
                return steps.status(workflow);
            }
            return switch (ReshardStep.named(step)) {
                case COPY -> steps.copy(workflow);
                case VERIFY -> steps.verify(workflow);
                case SWITCH -> steps.switchOver(workflow);
                case CLEANUP -> steps.finish(workflow, ReshardStep.CLEANUP);
                case ROLLBACK -> steps.finish(workflow, ReshardStep.ROLLBACK);
            };
        }
    }
}

package io.shardsync.batch;

import io.shardsync.Action;
import io.shardsync.CommandLine;
import io.shardsync.config.ConfigException;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.ShardRule;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.CopyProgress;
import io.shardsync.placement.Placements;
import io.shardsync.placement.ReshardPhase;
import io.shardsync.placement.ReshardStore;
import io.shardsync.placement.ReshardWorkflow;
import io.shardsync.sink.TargetTables;
import io.shardsync.source.SchemaLoader;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --mode reshard --config FILE --step STEP [--to FILE]}: moves a job's rows to a new
 * placement (e.g. 2 → 4 shards) while the streaming job runs. Steps, each idempotent and resumable
 * (the workflow lives in the control database): {@code plan} (rows that move, nothing written),
 * {@code start} (the job, once restarted from a savepoint, keeps both placements current), {@code
 * copy}, {@code verify} (the new placement), {@code switch} (the new placement serves), {@code
 * cleanup} (delete the moved rows from the old shards, verify again) or {@code rollback} (until
 * cleanup: back to the old placement), and {@code status}. A step that needs the job to write
 * differently first exits with {@value #WAITING_FOR_RESTART} until the job has been restarted.
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
        if (commandLine.get("to").isPresent()) {
            requireCountRules(config);
        }
        String step = commandLine.required("step");
        try (ReshardStore store = ReshardStore.open(config.controlDatabase())) {
            Optional<ReshardWorkflow> stored = store.load(config);
            if (step.equals("plan")) {
                return plan(config, stored);
            }
            if (step.equals("start")) {
                return start(config, stored, store);
            }
            ReshardWorkflow workflow =
                    stored.orElseThrow(
                            () ->
                                    new IllegalArgumentException(
                                            "job '"
                                                    + config.name()
                                                    + "' has no reshard; begin with --step start --to FILE"));
            checkTarget(workflow.to());
            return switch (step) {
                case "status" -> status(workflow, store);
                case "copy" -> copy(config, workflow, store);
                case "verify" -> verify(config, workflow, store);
                case "switch" -> switchOver(workflow, store);
                case "cleanup" -> cleanup(config, workflow, store);
                case "rollback" -> rollback(config, workflow, store);
                default ->
                        throw new IllegalArgumentException(
                                "unknown --step '"
                                        + step
                                        + "' (steps: plan, start, copy, verify, switch, cleanup,"
                                        + " rollback, status)");
            };
        }
    }

    /** How many rows of each table move from each old shard to each new one; writes nothing. */
    private int plan(JobConfig config, Optional<ReshardWorkflow> stored) throws Exception {
        List<ShardConfig> from = currentPlacement(config, stored);
        new ReshardPlan(config, from, target(from, stored), out).print();
        return 0;
    }

    private int start(JobConfig config, Optional<ReshardWorkflow> stored, ReshardStore store)
            throws Exception {
        if (stored.isPresent() && !stored.get().phase().finished()) {
            ReshardWorkflow running = stored.get();
            if (!ShardConfig.samePlacement(running.to(), target(running.from(), stored))) {
                throw new IllegalArgumentException(
                        "job '"
                                + config.name()
                                + "' is already resharding to "
                                + ShardConfig.names(running.to())
                                + " ("
                                + running.phase()
                                + "); finish it with cleanup or rollback first");
            }
            out.println("reshard already started");
            return status(running, store);
        }
        List<ShardConfig> from = currentPlacement(config, stored);
        List<ShardConfig> to = target(from, stored);
        ReshardWorkflow workflow = ReshardWorkflow.start(config.name(), from, to).namedBy(config);
        store.clearCopyProgress(config.name());
        store.save(workflow);
        out.printf("reshard started: %s -> %s%n", ShardConfig.names(from), ShardConfig.names(to));
        return restartJob(workflow, "copy");
    }

    private int copy(JobConfig config, ReshardWorkflow workflow, ReshardStore store)
            throws Exception {
        requirePhase(workflow, "copy", ReshardPhase.DUAL);
        if (!workflow.jobRestarted()) {
            return restartJob(workflow, "copy");
        }
        List<SyncTable> tables = SchemaLoader.load(config);
        TargetTables.prepare(workflow.to(), tables);
        long estimated;
        try (Connection source = Connections.source(config.singleSource())) {
            estimated = Verifier.estimatedRows(source, tables);
        }
        long startMs = System.currentTimeMillis();
        long copied =
                new ReshardCopy(
                                config,
                                workflow.from(),
                                workflow.to(),
                                store,
                                CopyOptions.from(commandLine),
                                out)
                        .run(tables, estimated);
        long elapsed = Math.max(1, System.currentTimeMillis() - startMs);
        store.save(workflow.copied(Instant.now()));
        out.printf(
                "COPIED: %d rows in %.1f s (%d rows/s); next: --step verify%n",
                copied, elapsed / 1000.0, copied * 1000 / elapsed);
        return 0;
    }

    private int verify(JobConfig config, ReshardWorkflow workflow, ReshardStore store)
            throws Exception {
        requirePhase(workflow, "verify", ReshardPhase.DUAL, ReshardPhase.SWITCHED);
        if (workflow.copiedAt() == null) {
            throw new IllegalArgumentException("verify comes after --step copy");
        }
        // the new placement, where the old placement's copies are tolerated until cleanup
        JobConfig placed = ReshardPhase.SWITCHED.placement(config, workflow.from(), workflow.to());
        VerifyReport report = VerifyAction.verify(placed, VerifyOptions.from(commandLine), out);
        if (!report.clean()) {
            return notClean(report, "verify");
        }
        store.save(workflow.verified(Instant.now()));
        out.println("new placement verified; next: --step switch");
        return 0;
    }

    private int switchOver(ReshardWorkflow workflow, ReshardStore store) throws SQLException {
        if (workflow.phase() != ReshardPhase.SWITCHED) {
            requirePhase(workflow, "switch", ReshardPhase.DUAL);
            if (workflow.verifiedAt() == null) {
                throw new IllegalArgumentException(
                        "switch needs a clean --step verify of the new placement first");
            }
            workflow = workflow.withPhase(ReshardPhase.SWITCHED);
            store.save(workflow);
        }
        out.println("the new placement serves readers; the old one stays current until cleanup");
        return restartJob(workflow, "cleanup (or rollback)");
    }

    private int cleanup(JobConfig config, ReshardWorkflow workflow, ReshardStore store)
            throws Exception {
        return finish(
                config,
                workflow,
                store,
                "cleanup",
                ReshardPhase.CLEANING,
                ReshardPhase.DONE,
                ReshardPhase.SWITCHED);
    }

    private int rollback(JobConfig config, ReshardWorkflow workflow, ReshardStore store)
            throws Exception {
        return finish(
                config,
                workflow,
                store,
                "rollback",
                ReshardPhase.ROLLING_BACK,
                ReshardPhase.ROLLED_BACK,
                ReshardPhase.DUAL,
                ReshardPhase.SWITCHED);
    }

    /**
     * Cleanup and rollback: the job goes back to writing one placement (a savepoint restart), then
     * the other placement's rows are deleted from the shards and the kept placement is verified.
     */
    private int finish(
            JobConfig config,
            ReshardWorkflow workflow,
            ReshardStore store,
            String step,
            ReshardPhase pruning,
            ReshardPhase finished,
            ReshardPhase... startsFrom)
            throws Exception {
        if (workflow.phase() == finished) {
            out.println(step + " is done");
            return 0;
        }
        if (workflow.phase() != pruning) {
            requirePhase(workflow, step, startsFrom);
            workflow = workflow.withPhase(pruning);
            store.save(workflow);
        }
        if (!workflow.jobRestarted()) {
            return restartJob(workflow, step);
        }
        JobConfig kept = finished.placement(config, workflow.from(), workflow.to());
        List<ShardConfig> pruned = finished == ReshardPhase.DONE ? workflow.from() : workflow.to();
        new ShardPrune(kept.shards(), out).prune(pruned, SchemaLoader.load(config));
        VerifyReport report = VerifyAction.verify(kept, VerifyOptions.from(commandLine), out);
        if (!report.clean()) {
            return notClean(report, step);
        }
        store.save(workflow.withPhase(finished));
        out.printf(
                "%s done: %s serve%s%n",
                step,
                ShardConfig.names(kept.shards()),
                finished == ReshardPhase.DONE
                        ? "; set shards: in the job config to this placement"
                        : "");
        return 0;
    }

    /** A step that needs a clean verify stops short of it, with what to do next. */
    private int notClean(VerifyReport report, String step) {
        out.printf(
                "%s stops here: verify is %s, not CLEAN; %s, then run --step %s again%n",
                step,
                report.outcome(),
                report.outcome() == VerifyReport.Outcome.UNSETTLED
                        ? "wait for a quieter time (or give more --rechecks)"
                        : "repair the differences (--mode repair --report ...)",
                step);
        return report.outcome().exitCode;
    }

    private int status(ReshardWorkflow workflow, ReshardStore store) throws SQLException {
        out.printf(
                "reshard of job '%s': %s -> %s%n  phase: %s%s%n  copied: %s%n  verified: %s%n",
                workflow.job(),
                ShardConfig.names(workflow.from()),
                ShardConfig.names(workflow.to()),
                workflow.phase(),
                workflow.jobRestarted()
                        ? " (the job runs with it)"
                        : " (waiting for the job's savepoint restart; it runs with "
                                + workflow.jobPhase()
                                + ")",
                workflow.copiedAt() == null ? "no" : workflow.copiedAt(),
                workflow.verifiedAt() == null ? "no" : workflow.verifiedAt());
        for (Map.Entry<String, CopyProgress> table :
                store.copyProgress(workflow.job()).entrySet()) {
            CopyProgress progress = table.getValue();
            out.printf(
                    "  copy %s: %d rows copied, %s%n",
                    table.getKey(),
                    progress.rowsCopied(),
                    progress.done() ? "done" : "resumes after key " + progress.resumeKey());
        }
        return 0;
    }

    private int restartJob(ReshardWorkflow workflow, String next) {
        out.printf(
                "now restart the sync job from a savepoint (stop with savepoint, submit again"
                        + " with the same config) so it runs the %s placement; then --step %s%n",
                workflow.phase(), next);
        return WAITING_FOR_RESTART;
    }

    /**
     * The placement a reshard moves from: an unfinished one's old shards, else where rows are now.
     */
    private static List<ShardConfig> currentPlacement(
            JobConfig config, Optional<ReshardWorkflow> stored) {
        if (stored.isPresent() && !stored.get().phase().finished()) {
            return stored.get().from();
        }
        return stored.map(w -> Placements.of(config, w)).orElse(config).shards();
    }

    /** The new placement: --to, which must name the same shards as a stored workflow's. */
    private List<ShardConfig> target(List<ShardConfig> from, Optional<ReshardWorkflow> stored)
            throws Exception {
        Optional<String> file = commandLine.get("to");
        if (file.isEmpty()) {
            return stored.filter(w -> !w.phase().finished())
                    .map(ReshardWorkflow::to)
                    .orElseThrow(
                            () ->
                                    new IllegalArgumentException(
                                            "missing --to <file with the new shards: list>"));
        }
        List<ShardConfig> to = ConfigLoader.loadShards(file.get());
        if (ShardConfig.samePlacement(to, from)) {
            throw new ConfigException("--to", "the shards are the current placement");
        }
        for (ShardConfig shard : to) {
            for (ShardConfig old : from) {
                if (old.name().equals(shard.name()) && !old.sameServer(shard)) {
                    throw new ConfigException(
                            "--to",
                            "shard '"
                                    + shard.name()
                                    + "' is another server than the current placement's; a new"
                                    + " shard needs a new name");
                }
            }
        }
        return to;
    }

    /**
     * A reshard derives the new routing from the new shard count; range and map rules name their
     * shards by boundaries and values in the config, which a count cannot move.
     */
    private static void requireCountRules(JobConfig config) {
        for (int i = 0; i < config.tables().size(); i++) {
            ShardRule rule = config.tables().get(i).shardRule();
            if (!rule.followsShardCount()) {
                throw new ConfigException(
                        "tables[" + i + "].shardRule",
                        "'"
                                + rule.kind().configName()
                                + "' places rows by the config's own "
                                + (rule.kind() == ShardRule.Kind.RANGE ? "ranges" : "values")
                                + ", not by a shard count, so a reshard (--to) cannot derive the"
                                + " new placement; resharding supports 'mod' and 'hash' tables");
            }
        }
    }

    private void checkTarget(List<ShardConfig> to) throws Exception {
        Optional<String> file = commandLine.get("to");
        if (file.isPresent()
                && !ShardConfig.samePlacement(ConfigLoader.loadShards(file.get()), to)) {
            throw new ConfigException(
                    "--to",
                    "differs from the running reshard's new placement " + ShardConfig.names(to));
        }
    }

    private static void requirePhase(
            ReshardWorkflow workflow, String step, ReshardPhase... phases) {
        if (!List.of(phases).contains(workflow.phase())) {
            throw new IllegalArgumentException(
                    step
                            + " needs the reshard in "
                            + List.of(phases)
                            + "; it is "
                            + workflow.phase()
                            + " (--step status)");
        }
    }
}

package io.shardsync.reshard;

import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.TableRoutes;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.CopyProgress;
import io.shardsync.placement.Placement;
import io.shardsync.placement.Placements;
import io.shardsync.placement.ReshardPhase;
import io.shardsync.placement.ReshardStep;
import io.shardsync.placement.ReshardStore;
import io.shardsync.placement.ReshardWorkflow;
import io.shardsync.scan.RowEstimates;
import io.shardsync.sink.TargetTables;
import io.shardsync.source.RoutedTables;
import io.shardsync.source.SchemaLoader;
import io.shardsync.verify.VerifyAction;
import io.shardsync.verify.VerifyOptions;
import io.shardsync.verify.VerifyReport;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The work of each reshard step on one job's workflow: which transition it makes ({@link
 * ReshardStep}), the batch work it runs (copy, verify, prune), and what it tells the user to do
 * next. Each returns the step's exit code.
 */
final class ReshardSteps {
    private final JobConfig config;
    private final ReshardStore store;
    private final CopyOptions copyOptions;
    private final VerifyOptions verifyOptions;
    private final Duration waitForJob;
    private final PrintStream out;

    ReshardSteps(
            JobConfig config,
            ReshardStore store,
            CopyOptions copyOptions,
            VerifyOptions verifyOptions,
            Duration waitForJob,
            PrintStream out) {
        this.config = config;
        this.store = store;
        this.copyOptions = copyOptions;
        this.verifyOptions = verifyOptions;
        this.waitForJob = waitForJob;
        this.out = out;
    }

    /** How many rows of each table move from each old shard to each new one; writes nothing. */
    int plan(ReshardTarget target, Optional<ReshardWorkflow> stored) throws Exception {
        List<ShardConfig> from = currentPlacement(stored);
        List<ShardConfig> to = target.shards(from, running(stored));
        new ReshardPlan(config, from, to, target.routes(config, from, running(stored)), out)
                .print();
        return 0;
    }

    int start(ReshardTarget target, Optional<ReshardWorkflow> stored) throws Exception {
        if (stored.isPresent() && !stored.get().phase().finished()) {
            ReshardWorkflow running = stored.get();
            if (!ShardConfig.samePlacement(
                            running.to(), target.shards(running.from(), running(stored)))
                    || !running.routes()
                            .routes()
                            .equals(
                                    target.routes(config, running.from(), running(stored))
                                            .routes())) {
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
            return status(running);
        }
        List<ShardConfig> from = currentPlacement(stored);
        List<ShardConfig> to = target.shards(from, Optional.empty());
        TableRoutes routes = target.routes(config, from, Optional.empty());
        requireConfigRules(stored);
        RoutedTables.of(SchemaLoader.load(config), routes); // each new rule fits its column
        ReshardWorkflow workflow =
                ReshardWorkflow.start(config.name(), from, to, routes).namedBy(config);
        store.clearCopyProgress(config.name());
        store.start(workflow);
        out.printf("reshard started: %s -> %s%n", ShardConfig.names(from), ShardConfig.names(to));
        return restartJob(workflow, "copy");
    }

    int copy(ReshardWorkflow workflow) throws Exception {
        workflow = ReshardStep.COPY.begin(workflow);
        if (!runsWithJob(workflow)) {
            return restartJob(workflow, "copy");
        }
        List<SyncTable> tables = SchemaLoader.load(config);
        TargetTables.prepare(config, workflow.placement(ReshardPhase.DONE), tables);
        long estimated;
        try (Connection source = Connections.source(config.singleSource())) {
            estimated = RowEstimates.of(source, tables);
        }
        long startMs = System.currentTimeMillis();
        long copied =
                new ReshardCopy(config, workflow.from(), workflow.to(), store, copyOptions, out)
                        .run(tables, RoutedTables.of(tables, workflow.routes()), estimated);
        long elapsed = Math.max(1, System.currentTimeMillis() - startMs);
        store.save(workflow.copied(Instant.now()));
        out.printf(
                "COPIED: %d rows in %.1f s (%d rows/s); next: --step verify%n",
                copied, elapsed / 1000.0, copied * 1000 / elapsed);
        return 0;
    }

    int verify(ReshardWorkflow workflow) throws Exception {
        workflow = ReshardStep.VERIFY.begin(workflow);
        // the new placement, where the old placement's copies are tolerated until cleanup
        Placement placed = workflow.placement(ReshardPhase.SWITCHED);
        VerifyReport report = VerifyAction.verify(config, placed, verifyOptions, out);
        if (!report.clean()) {
            return notClean(report, "verify");
        }
        store.save(workflow.verified(Instant.now()));
        out.println("new placement verified; next: --step switch");
        return 0;
    }

    int switchOver(ReshardWorkflow workflow) throws SQLException {
        ReshardWorkflow switched = ReshardStep.SWITCH.begin(workflow);
        if (switched != workflow) {
            store.save(switched);
        }
        out.println("the new placement serves readers; the old one stays current until cleanup");
        return restartJob(switched, "cleanup (or rollback)");
    }

    /**
     * Cleanup and rollback: the job goes back to writing one placement (a savepoint restart), then
     * the other placement's rows are deleted from the shards and the kept placement is verified.
     */
    int finish(ReshardWorkflow workflow, ReshardStep step) throws Exception {
        if (step.isDone(workflow)) {
            out.println(step.configName() + " is done");
            return 0;
        }
        ReshardWorkflow begun = step.begin(workflow);
        if (begun != workflow) {
            store.save(begun);
        }
        if (!runsWithJob(begun)) {
            return restartJob(begun, step.configName());
        }
        Placement kept = begun.placement(step.ends());
        boolean done = step.ends() == ReshardPhase.DONE;
        List<SyncTable> tables = SchemaLoader.load(config);
        new ShardPrune(kept.serving(), ShardConfig.names(config.namedShards()), out)
                .prune(
                        done ? begun.from() : begun.to(),
                        done ? tables : RoutedTables.of(tables, begun.routes()),
                        kept.servingTables(tables));
        VerifyReport report = VerifyAction.verify(config, kept, verifyOptions, out);
        if (!report.clean()) {
            return notClean(report, step.configName());
        }
        store.save(begun.withPhase(step.ends()));
        out.printf(
                "%s done: %s serve%s%n",
                step.configName(),
                kept.servingNames(),
                step.ends() == ReshardPhase.DONE
                        ? "; set shards: in the job config to this placement"
                        : "");
        return 0;
    }

    int status(ReshardWorkflow workflow) throws SQLException {
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
        for (TableRoutes.Route route : workflow.routes().routes()) {
            out.printf("  new rules of %s: %s%n", route.entry().entryName(), route.describe());
        }
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

    /**
     * Whether the job runs with the workflow's phase (it tells at its first completed checkpoint
     * after the restart), waiting up to {@code --wait-for-job-seconds} for it.
     */
    private boolean runsWithJob(ReshardWorkflow workflow) throws Exception {
        long until = System.currentTimeMillis() + waitForJob.toMillis();
        ReshardWorkflow now = workflow;
        while (!now.jobRestarted() && System.currentTimeMillis() < until) {
            Thread.sleep(500);
            now = store.load(config).orElseThrow();
        }
        return now.jobRestarted();
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
        return report.outcome().exitCode();
    }

    private int restartJob(ReshardWorkflow workflow, String next) {
        out.printf(
                "now restart the sync job from a savepoint (stop with savepoint, submit again"
                        + " with the same config) so it runs the %s placement; once it completed a"
                        + " checkpoint, --step %s%n",
                workflow.phase(), next);
        return ReshardAction.WAITING_FOR_RESTART;
    }

    /**
     * The placement a reshard moves from: an unfinished one's old shards, else where rows are now.
     */
    private List<ShardConfig> currentPlacement(Optional<ReshardWorkflow> stored) {
        if (running(stored).isPresent()) {
            return stored.get().from();
        }
        return Placements.of(config, stored).serving();
    }

    /** The reshard in flight. */
    private static Optional<ReshardWorkflow> running(Optional<ReshardWorkflow> stored) {
        return stored.filter(w -> !w.phase().finished());
    }

    /**
     * A new reshard moves rows from where the config's rules put them: after one that changed
     * rules, the config must have taken them over (the job follows the finished workflow's rules,
     * but a new workflow starts from the config's).
     */
    private void requireConfigRules(Optional<ReshardWorkflow> stored) throws SQLException {
        if (stored.isEmpty()
                || stored.get().phase() != ReshardPhase.DONE
                || stored.get().routes().isEmpty()) {
            return;
        }
        List<SyncTable> tables = SchemaLoader.load(config);
        List<SyncTable> routed = RoutedTables.of(tables, stored.get().routes());
        for (int i = 0; i < tables.size(); i++) {
            if (!tables.get(i).shardRule().equals(routed.get(i).shardRule())
                    || !Objects.equals(
                            tables.get(i).layout().tables(), routed.get(i).layout().tables())) {
                throw new ConfigException(
                        "tables",
                        tables.get(i).qualifiedName()
                                + " is routed by the last reshard's rules, not the config's: set"
                                + " them in the config (the --to file's tables:) before another"
                                + " reshard");
            }
        }
    }
}

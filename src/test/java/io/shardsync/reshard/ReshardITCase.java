package io.shardsync.reshard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.CommandLine;
import io.shardsync.config.JobConfig;
import io.shardsync.testing.ApplyLag;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.SyncJobs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resharding 2 → 4 shards while the job runs and a generator keeps changing rows (inserts, updates,
 * deletes, shard-key and primary-key moves): every step of the workflow, a copy killed with SIGKILL
 * midway and resumed, and a rollback, each ending with exact shards.
 */
class ReshardITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    private static final List<Integer> FOUR_SHARDS =
            Stream.concat(MariaDb.SHARD_PORTS.stream(), MariaDb.NEW_SHARD_PORTS.stream()).toList();

    @TempDir Path dir;

    private String output = "";
    private JobConfig config;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void reshardsTwoToFourThroughEveryStepWithAKilledCopy() throws Exception {
        String db = MariaDb.createDatabase("reshard");
        JobClient job = startSynced(db, 100_000);
        long startMs = System.currentTimeMillis();
        try (ChangeGenerator generator = ChangeGenerator.start(db, 100_001, 2);
                ApplyLag lag = ApplyLag.start(db, MariaDb.SHARD_PORTS.get(0))) {
            assertEquals(0, step("plan"));
            assertTrue(output.contains("shard-0      -> shard-2"), output);
            assertEquals(ReshardAction.WAITING_FOR_RESTART, step("start"));
            assertEquals(ReshardAction.WAITING_FOR_RESTART, step("copy")); // job not restarted
            job = restart(job);

            Process killed = copyInAnotherJvm();
            String progress = awaitCopyProgress(db);
            killed.destroyForcibly().waitFor();
            assertTrue(progress.endsWith("|0"), "the killed copy had not finished: " + progress);

            assertEquals(0, step("copy"));
            long scanned = number("copy: (\\d+) rows scanned");
            long sourceRows = count(MariaDb.SOURCE_PORT, db);
            assertTrue(scanned < sourceRows, "resumed, not from the first key: " + scanned);
            long copyRate = number("\\((\\d+) rows/s\\)");

            assertEquals(0, step("verify"));
            assertEquals(ReshardAction.WAITING_FOR_RESTART, step("switch"));
            job = restart(job);
            assertEquals(ReshardAction.WAITING_FOR_RESTART, step("cleanup"));
            job = restart(job);
            assertEquals(0, step("cleanup"));
            System.out.printf(
                    "RESHARD 2->4 of %d rows while %d changes: copy %d rows/s (resumed run),"
                            + " total %.1f s, longest wait of a change for shard-0 %d ms%n",
                    sourceRows,
                    generator.changes(),
                    copyRate,
                    (System.currentTimeMillis() - startMs) / 1000.0,
                    lag.longestMs());
        }
        try {
            assertEquals(
                    List.of(), ChangeGenerator.shardedOrders(db, FOUR_SHARDS).awaitEqual(120_000));
            assertEquals(0, step("status"));
            assertTrue(output.contains("phase: DONE (the job runs with it)"), output);
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void rollbackAfterCopyAndVerifyLeavesTheOldPlacementExact() throws Exception {
        String db = MariaDb.createDatabase("rollback");
        JobClient job = startSplit(db, 20_000);
        // four servers with four tables each: the rollback deletes copies on old servers too
        writeTo(
                FOUR_SHARDS,
                "  - {database: " + db + ", table: orders, tableSharding: {count: 4, key: id}}\n");
        try (ChangeGenerator generator = ChangeGenerator.start(db, 20_001, 2)) {
            assertEquals(ReshardAction.WAITING_FOR_RESTART, step("start"));
            job = restart(job);
            assertEquals(0, step("copy"));
            assertTrue(copies(db) > 0, "copied to the new tables");
            assertEquals(0, step("verify"));
            assertEquals(ReshardAction.WAITING_FOR_RESTART, step("rollback"));
            job = restart(job);
            assertEquals(0, step("rollback"));
        }
        try {
            assertEquals(
                    List.of(),
                    ChangeGenerator.splitOrders(db, MariaDb.SHARD_PORTS, 2).awaitEqual(120_000));
            assertEquals(0, copies(db), "no copies left");
            assertEquals(0, step("status"));
            assertTrue(output.contains("phase: ROLLED_BACK"), output);
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /**
     * Rows in the tables only the new placement has: tables 2 and 3 of the old servers, and every
     * table of the new ones.
     */
    private static long copies(String db) throws Exception {
        long rows = 0;
        for (int shard = 0; shard < FOUR_SHARDS.size(); shard++) {
            for (int table = shard < 2 ? 2 : 0; table < 4; table++) {
                rows +=
                        Long.parseLong(
                                MariaDb.query(
                                                FOUR_SHARDS.get(shard),
                                                "SELECT COUNT(*) FROM "
                                                        + db
                                                        + "_"
                                                        + shard
                                                        + ".orders_"
                                                        + table)
                                        .get(0));
            }
        }
        return rows;
    }

    @Test
    void reshardsATableSplitOverTablesOfEachShard() throws Exception {
        String db = MariaDb.createDatabase("split");
        JobClient job = startSplit(db, 10_000);
        try (ChangeGenerator generator = ChangeGenerator.start(db, 10_001, 2)) {
            job = reshard(job);
        }
        try {
            assertEquals(
                    List.of(), ChangeGenerator.splitOrders(db, FOUR_SHARDS, 2).awaitEqual(120_000));
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void reshardsTwoToFourTablesPerShardOnTheSameServers() throws Exception {
        String db = MariaDb.createDatabase("tables");
        JobClient job = startSplit(db, 10_000);
        writeTo(
                MariaDb.SHARD_PORTS,
                "  - {database: " + db + ", table: orders, tableSharding: {count: 4, key: id}}\n");
        assertEquals(0, step("plan"));
        // ids 2 and 3 (mod 4) leave tables 0 and 1 for the new tables 2 and 3 of their shard
        assertTrue(output.contains(db + ".orders: 10000 rows, 5000 move (50.0 %)"), output);
        try (ChangeGenerator generator = ChangeGenerator.start(db, 10_001, 2)) {
            job = reshard(job);
        }
        try {
            assertEquals(
                    List.of(),
                    ChangeGenerator.splitOrders(db, MariaDb.SHARD_PORTS, 4).awaitEqual(120_000));
            assertEquals(0, step("status"));
            assertTrue(
                    output.contains(
                            "new rules of "
                                    + db
                                    + ".orders: mod, 4 tables {table}_{index} by id mod"),
                    output);
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void reshardsARangeRuleSplitIntoFourRanges() throws Exception {
        String db = MariaDb.createDatabase("ranges");
        ChangeGenerator.createOrders(db, 10_000);
        config =
                writeConfig(
                        db,
                        ChangeGenerator.ordersConfig(db)
                                + "    shardRule: range\n    ranges: [50]\n");
        writeTo(
                FOUR_SHARDS,
                "  - database: "
                        + db
                        + "\n    table: orders\n    shardRule: range\n    ranges: [25, 50, 75]\n");
        JobClient job = SyncJobs.start(config, dir.resolve("checkpoints"), null);
        assertEquals(
                List.of(),
                ChangeGenerator.rangedOrders(db, MariaDb.SHARD_PORTS, 50).awaitEqual(180_000));
        try (ChangeGenerator generator = ChangeGenerator.start(db, 10_001, 2)) {
            job = reshard(job);
        }
        try {
            // user ids 25-49 moved from shard-0 to shard-1, 50 and above from shard-1 on
            assertEquals(
                    List.of(),
                    ChangeGenerator.rangedOrders(db, FOUR_SHARDS, 25, 50, 75).awaitEqual(120_000));
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /** Every step of a reshard with the job restarted where a step asks; the job after cleanup. */
    private JobClient reshard(JobClient job) throws Exception {
        assertEquals(ReshardAction.WAITING_FOR_RESTART, step("start"));
        job = restart(job);
        assertEquals(0, step("copy"));
        assertEquals(0, step("verify"));
        assertEquals(ReshardAction.WAITING_FOR_RESTART, step("switch"));
        job = restart(job);
        assertEquals(ReshardAction.WAITING_FOR_RESTART, step("cleanup"));
        job = restart(job);
        assertEquals(0, step("cleanup"));
        return job;
    }

    /** The new placement's file: these shards, and the tables whose rules change. */
    private void writeTo(List<Integer> ports, String tables) throws Exception {
        Files.writeString(dir.resolve("to.yaml"), MariaDb.shards(ports) + "tables:\n" + tables);
    }

    /**
     * {@code db.orders} with {@code rows} rows, split over two tables per shard by {@code id} in
     * databases named after their shard, and the job running on two shards, caught up.
     */
    private JobClient startSplit(String db, int rows) throws Exception {
        ChangeGenerator.createOrders(db, rows);
        config =
                writeConfig(
                        db,
                        ChangeGenerator.ordersConfig(db)
                                + "    tableSharding: {count: 2, key: id}\n"
                                + "    target: {database: '{database}_{shard}'}\n");
        JobClient job = SyncJobs.start(config, dir.resolve("checkpoints"), null);
        assertEquals(
                List.of(),
                ChangeGenerator.splitOrders(db, MariaDb.SHARD_PORTS, 2).awaitEqual(180_000));
        return job;
    }

    /** {@code db.orders} with {@code rows} rows, and the job running on two shards, caught up. */
    private JobClient startSynced(String db, int rows) throws Exception {
        ChangeGenerator.createOrders(db, rows);
        config = writeConfig(db, ChangeGenerator.ordersConfig(db));
        JobClient job = SyncJobs.start(config, dir.resolve("checkpoints"), null);
        assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(180_000));
        return job;
    }

    /** The job of the orders entry (+ the lag probe on every shard) with its control database. */
    private JobConfig writeConfig(String db, String orders) throws Exception {
        ApplyLag.createProbe(db);
        String yaml =
                "name: reshard-"
                        + db
                        + "\n"
                        + MariaDb.config("exactly-once", 2, orders + ApplyLag.probeConfig(db))
                        + MariaDb.shards(MariaDb.NEW_SHARD_PORTS).replace("shards:", "newShards:")
                        + MariaDb.controlDatabase(db + "_control");
        Files.writeString(dir.resolve("job.yaml"), yaml);
        Files.writeString(dir.resolve("to.yaml"), MariaDb.shards(FOUR_SHARDS));
        return SyncJobs.parse(yaml);
    }

    private List<String> args(String step) {
        return new ArrayList<>(
                List.of(
                        "--config",
                        dir.resolve("job.yaml").toString(),
                        "--to",
                        dir.resolve("to.yaml").toString(),
                        "--step",
                        step,
                        "--report",
                        dir.resolve("report.json").toString(),
                        "--recheck-delay-ms",
                        "3000"));
    }

    private int step(String step) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exitCode =
                new ReshardAction(new CommandLine(args(step).toArray(String[]::new)), out).run();
        output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        return exitCode;
    }

    /** A copy run as its own process, throttled so it can be killed midway. */
    private Process copyInAnotherJvm() throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.shardsync.ShardSync",
                                "--mode",
                                "reshard"));
        command.addAll(args("copy"));
        command.addAll(List.of("--max-rows-per-second", "4000", "--chunk-rows", "500"));
        return new ProcessBuilder(command).inheritIO().start();
    }

    /** Waits until the copy stored progress for orders; returns "rows_copied|done". */
    private static String awaitCopyProgress(String db) throws Exception {
        String query =
                "SELECT CONCAT(rows_copied, '|', done) FROM "
                        + db
                        + "_control.reshard_copy WHERE table_name = '"
                        + db
                        + ".orders' AND rows_copied > 5000";
        for (int i = 0; i < 600; i++) {
            try {
                List<String> rows = MariaDb.query(MariaDb.SHARD_PORTS.get(0), query);
                if (!rows.isEmpty()) {
                    return rows.get(0);
                }
            } catch (java.sql.SQLException tableNotYetCreated) {
                // the copy creates it
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the copy stored no progress in 60 s");
    }

    /**
     * Stop with savepoint (once the job runs: a user would wait too), submit again, and wait until
     * the job tells the workflow it runs with its phase (at its first completed checkpoint).
     */
    private JobClient restart(JobClient job) throws Exception {
        JobClient restarted =
                SyncJobs.restartFromSavepoint(
                        job, config, dir.resolve("checkpoints"), dir.resolve("savepoints"));
        awaitJobRunsWithPhase();
        return restarted;
    }

    private void awaitJobRunsWithPhase() throws Exception {
        for (int i = 0; i < 240; i++) {
            step("status");
            if (output.contains("(the job runs with it)")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the restarted job did not acknowledge its phase: " + output);
    }

    private long number(String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        assertTrue(m.find(), regex + " in " + output);
        return Long.parseLong(m.group(1));
    }

    private static long count(int port, String db) throws Exception {
        return Long.parseLong(MariaDb.query(port, "SELECT COUNT(*) FROM " + db + ".orders").get(0));
    }
}

package io.shardsync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** verify and repair against shards the real job synced, then corrupted by hand. */
class VerifyRepairITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path dir;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    /** createOrders puts row id on user id % 97, so on shard (id % 97) % 2. */
    private static int shardOf(long id) {
        return (int) (id % 97 % 2);
    }

    private static int port(int shard) {
        return MariaDb.SHARD_PORTS.get(shard);
    }

    private String run(String yaml, String... args) throws Exception {
        return BatchRun.run(dir, yaml, args);
    }

    private static List<String> differenceLines(String output) {
        return BatchRun.differenceLines(output);
    }

    @Test
    void reportsExactlyTheCorruptedRowsAndRepairFixesThem() throws Exception {
        String db = MariaDb.createDatabase("verify");
        ChangeGenerator.createOrders(db, 3_000);
        String orders = db + ".orders";
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "UPDATE " + orders + " SET note = '' WHERE id = 50",
                "UPDATE " + orders + " SET note = NULL WHERE id = 51");
        String yaml = MariaDb.config("exactly-once", 1, ChangeGenerator.ordersConfig(db));
        JobClient job = SyncJobs.start(SyncJobs.parse(yaml), dir, null);
        try {
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(60_000));
        } finally {
            SyncJobs.cancel(job);
        }
        String copy = "INSERT INTO " + orders + " VALUES (%d, %d, 'copy', 1, 1, NOW(6))";
        MariaDb.execute(port(shardOf(10)), "DELETE FROM " + orders + " WHERE id = 10");
        MariaDb.execute(port(0), String.format(copy, 5000, 0));
        MariaDb.execute(
                port(shardOf(20)), "UPDATE " + orders + " SET note = 'changed' WHERE id = 20");
        MariaDb.execute(port(shardOf(30)), "DELETE FROM " + orders + " WHERE id = 30");
        MariaDb.execute(port(1 - shardOf(30)), String.format(copy, 30, 30));
        MariaDb.execute(port(1 - shardOf(40)), String.format(copy, 40, 40));
        MariaDb.execute(port(shardOf(50)), "UPDATE " + orders + " SET note = NULL WHERE id = 50");
        MariaDb.execute(port(shardOf(51)), "UPDATE " + orders + " SET note = '' WHERE id = 51");
        MariaDb.execute(
                port(shardOf(60)),
                "UPDATE "
                        + orders
                        + " SET updated_at = updated_at + INTERVAL 1 MICROSECOND WHERE id = 60");
        MariaDb.execute(
                port(shardOf(70)), "UPDATE " + orders + " SET note = 'order 70 😁' WHERE id = 70");
        // ids 1000 and 1001 sit on both sides of the first chunk boundary (chunks start at 1000
        // rows)
        MariaDb.execute(
                port(shardOf(1000)),
                "UPDATE " + orders + " SET amount = amount + 0.01 WHERE id = 1000");
        MariaDb.execute(
                port(shardOf(1001)),
                "UPDATE "
                        + orders
                        + " SET updated_at = updated_at + INTERVAL 1 MICROSECOND WHERE id = 1001");

        String shard10 = "[shard-" + shardOf(10) + "]";
        List<String> expected =
                List.of(
                        "DIFFERENT   key [1000] on [shard-" + shardOf(1000) + "] columns [amount]",
                        "DIFFERENT   key [1001] on [shard-"
                                + shardOf(1001)
                                + "] columns [updated_at]",
                        "DIFFERENT   key [20] on [shard-" + shardOf(20) + "] columns [note]",
                        "DIFFERENT   key [50] on [shard-" + shardOf(50) + "] columns [note]",
                        "DIFFERENT   key [51] on [shard-" + shardOf(51) + "] columns [note]",
                        "DIFFERENT   key [60] on [shard-" + shardOf(60) + "] columns [updated_at]",
                        "DIFFERENT   key [70] on [shard-" + shardOf(70) + "] columns [note]",
                        "DUPLICATED  key [40] on [shard-0, shard-1]",
                        "EXTRA       key [5000] on [shard-0]",
                        "MISSING     key [10] on " + shard10,
                        "WRONG_SHARD key [30] on [shard-" + (1 - shardOf(30)) + "]");
        String verify = run(yaml, "--rechecks", "0", "--threads", "2");
        assertTrue(verify.startsWith("1\n"), verify);
        assertEquals(expected, differenceLines(verify));
        // the same through chunks split in halves down to 100 rows
        assertEquals(
                expected,
                differenceLines(run(yaml, "--rechecks", "0", "--row-compare-limit", "100")));

        String dryRun = run(yaml, "--dry-run");
        assertTrue(dryRun.startsWith("0\n"), dryRun);
        assertTrue(
                dryRun.contains("DELETE FROM `" + db + "`.`orders` WHERE (`id`) = (5000);"),
                dryRun);
        assertEquals(
                expected,
                differenceLines(run(yaml, "--rechecks", "0")),
                "a dry run changes nothing");

        String execute = run(yaml, "--execute");
        assertTrue(execute.startsWith("0\n"), execute);
        assertTrue(execute.contains("repaired 11 rows, 0 still differ"), execute);
        String clean = run(yaml, "--rechecks", "0");
        assertTrue(clean.startsWith("0\n") && clean.contains("CLEAN: 3000 rows"), clean);
        assertEquals(List.of(), ChangeGenerator.shardedOrders(db).differences());

        // Now only rows whose chunks hold no other difference, so only their chunk checksums can
        // tell. Two rows of a chunk exchange their notes (same length): a
        // checksum that is a XOR of linear hashes (CRC32) would not change
        MariaDb.execute(
                port(shardOf(2500)),
                "UPDATE "
                        + orders
                        + " SET note = IF(id = 2500, 'order 2502 😀', 'order 2500 😀')"
                        + " WHERE id IN (2500, 2502)");
        // two rows of a chunk change alike (the last byte of their notes, with as many bytes
        // after it): a XOR of CRC32s would not change either
        MariaDb.execute(
                port(shardOf(2600)),
                "UPDATE "
                        + orders
                        + " SET note = REPLACE(note, '😀', '😁') WHERE id IN (2600, 2602)");
        assertEquals(
                List.of(
                        "DIFFERENT   key [2500] on [shard-" + shardOf(2500) + "] columns [note]",
                        "DIFFERENT   key [2502] on [shard-" + shardOf(2502) + "] columns [note]",
                        "DIFFERENT   key [2600] on [shard-" + shardOf(2600) + "] columns [note]",
                        "DIFFERENT   key [2602] on [shard-" + shardOf(2602) + "] columns [note]"),
                differenceLines(run(yaml, "--rechecks", "0")));
    }

    @Test
    void verifyBesideTheRunningJobReportsNoFalseDifference() throws Exception {
        String db = MariaDb.createDatabase("inflight");
        ChangeGenerator.createOrders(db, 100_000);
        String yaml = MariaDb.config("exactly-once", 2, ChangeGenerator.ordersConfig(db));
        JobClient job = SyncJobs.start(SyncJobs.parse(yaml), dir, null);
        try {
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
            String verify;
            long changes;
            try (ChangeGenerator generator = ChangeGenerator.start(db, 100_001, 3)) {
                verify = run(yaml, "--rechecks", "3", "--recheck-delay-ms", "3000");
                changes = generator.changes();
            }
            assertTrue(verify.startsWith("0\n") && verify.contains("CLEAN"), verify);
            assertTrue(changes > 100, "only " + changes + " changes while verify ran");
        } finally {
            SyncJobs.cancel(job);
        }
    }
}

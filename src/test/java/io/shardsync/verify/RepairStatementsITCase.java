package io.shardsync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.testing.MariaDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repair statements and verify outcomes on tables written by hand on the source and the shards (no
 * job): values a quoted literal does not carry in every sql_mode, a version newer than the repair,
 * rows that change or go away between verify and repair, and a row the source keeps changing.
 */
class RepairStatementsITCase {
    private static final String DDL =
            "CREATE TABLE %s.r (id INT PRIMARY KEY, s INT NOT NULL, note VARCHAR(50)"
                    + " CHARACTER SET utf8mb4, data VARBINARY(10), amount DECIMAL(10,2),"
                    + " at DATETIME(6), version BIGINT NOT NULL)";

    @TempDir Path dir;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    /** A database with table r on the source and both shards, rows 1..4 on shard id % 2. */
    private static String createTable() throws Exception {
        String db = MariaDb.createDatabase("repair");
        MariaDb.execute(MariaDb.SOURCE_PORT, String.format(DDL, db));
        for (int shard : MariaDb.SHARD_PORTS) {
            MariaDb.execute(shard, "CREATE DATABASE " + db, String.format(DDL, db));
        }
        for (int id = 1; id <= 4; id++) {
            String insert =
                    "INSERT INTO "
                            + db
                            + ".r VALUES ("
                            + id
                            + ", "
                            + id
                            + ", 'back\\\\slash '' quote ✓', X'', 12.50,"
                            + " '2024-01-02 03:04:05.123456', 1)";
            MariaDb.execute(MariaDb.SOURCE_PORT, insert);
            MariaDb.execute(MariaDb.SHARD_PORTS.get(id % 2), insert);
        }
        return db;
    }

    private static String yaml(String db, String delivery) {
        return MariaDb.config(
                delivery,
                1,
                "  - database: "
                        + db
                        + "\n    table: r\n    shardKey: s\n    versionColumn: version\n");
    }

    /** The statements of a dry run's output (everything but its "-- shard" headers). */
    private static List<String> statements(String dryRun, String shard) {
        List<String> statements = new ArrayList<>();
        boolean inShard = false;
        for (String line : dryRun.lines().skip(1).toList()) {
            if (line.startsWith("-- ")) {
                inShard = line.startsWith("-- " + shard + ":");
            } else if (inShard) {
                statements.add(line);
            }
        }
        return statements;
    }

    private static void executeWithoutBackslashEscapes(int port, List<String> statements)
            throws Exception {
        try (Connection c = MariaDb.admin(port);
                Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    @Test
    void statementsMeanTheSameUnderNoBackslashEscapes() throws Exception {
        String db = createTable();
        int shard1 = MariaDb.SHARD_PORTS.get(1);
        MariaDb.execute(
                shard1,
                "UPDATE " + db + ".r SET note = 'x', data = NULL, amount = 0 WHERE id = 1",
                "DELETE FROM " + db + ".r WHERE id = 3");
        String yaml = yaml(db, "exactly-once");
        assertTrue(BatchRun.run(dir, yaml, "--rechecks", "0").startsWith("1\n"));

        String dryRun = BatchRun.run(dir, yaml, "--dry-run");
        List<String> statements = statements(dryRun, "shard-1");
        assertEquals(2, statements.size(), dryRun);
        executeWithoutBackslashEscapes(shard1, statements);

        String clean = BatchRun.run(dir, yaml, "--rechecks", "0");
        assertTrue(clean.startsWith("0\n") && clean.contains("CLEAN: 4 rows"), clean);
    }

    @Test
    void repairInExactlyOnceModeKeepsANewerVersion() throws Exception {
        String db = createTable();
        int shard1 = MariaDb.SHARD_PORTS.get(1);
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "UPDATE " + db + ".r SET note = 'v2', version = 2 WHERE id = 1");
        String yaml = yaml(db, "exactly-once");
        assertTrue(BatchRun.run(dir, yaml, "--rechecks", "0").startsWith("1\n"));
        List<String> statements = statements(BatchRun.run(dir, yaml, "--dry-run"), "shard-1");

        // meanwhile the job writes version 3 of the row (the source has moved on too)
        String v3 = "UPDATE " + db + ".r SET note = 'v3', version = 3 WHERE id = 1";
        MariaDb.execute(MariaDb.SOURCE_PORT, v3);
        MariaDb.execute(shard1, v3);
        executeWithoutBackslashEscapes(shard1, statements);

        assertEquals(
                List.of("v3|3"),
                MariaDb.query(shard1, "SELECT note, version FROM " + db + ".r WHERE id = 1"));
    }

    @Test
    void aRowGoneAtTheSourceSinceVerifyLosesItsCopies() throws Exception {
        String db = createTable();
        // row 2 belongs on shard 0; a second copy on shard 1
        MariaDb.execute(
                MariaDb.SHARD_PORTS.get(1),
                "INSERT INTO " + db + ".r SELECT * FROM " + db + ".r WHERE FALSE",
                "INSERT INTO " + db + ".r VALUES (2, 2, 'copy', NULL, NULL, NULL, 1)");
        String yaml = yaml(db, "exactly-once");
        String report = BatchRun.run(dir, yaml, "--rechecks", "0");
        assertEquals(
                List.of("DUPLICATED  key [2] on [shard-0, shard-1]"),
                BatchRun.differenceLines(report));
        MariaDb.execute(MariaDb.SOURCE_PORT, "DELETE FROM " + db + ".r WHERE id = 2");

        String repair = BatchRun.run(dir, yaml, "--execute");
        assertTrue(repair.startsWith("0\n") && repair.contains("repaired 1 rows"), repair);
        String clean = BatchRun.run(dir, yaml, "--rechecks", "0");
        assertTrue(clean.startsWith("0\n") && clean.contains("CLEAN: 3 rows"), clean);
    }

    @Test
    void aReportOfAnotherPlacementIsRefusedByName() throws Exception {
        String db = createTable();
        MariaDb.execute(MariaDb.SHARD_PORTS.get(0), "DELETE FROM " + db + ".r WHERE id = 2");
        String yaml = yaml(db, "exactly-once");
        assertTrue(BatchRun.run(dir, yaml, "--rechecks", "0").startsWith("1\n"));
        String renamed = yaml.replaceFirst("(?m)^  - url:", "  - name: east\n    url:");

        IllegalArgumentException refused =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> BatchRun.run(dir, renamed, "--dry-run"));
        assertEquals(
                "the report names shard 'shard-0', not in the config (shards: [east, shard-1]);"
                        + " was it written for another config?",
                refused.getMessage());
    }

    @Test
    void aRowThatKeepsChangingIsUnsettledNotClean() throws Exception {
        String db = createTable();
        MariaDb.execute(
                MariaDb.SHARD_PORTS.get(1), "UPDATE " + db + ".r SET note = 'wrong' WHERE id = 1");
        AtomicBoolean running = new AtomicBoolean(true);
        Thread hot =
                new Thread(
                        () -> {
                            try (Connection c = MariaDb.admin(MariaDb.SOURCE_PORT);
                                    Statement s = c.createStatement()) {
                                while (running.get()) {
                                    s.execute(
                                            "UPDATE "
                                                    + db
                                                    + ".r SET version = version + 1 WHERE id = 1");
                                    Thread.sleep(20);
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        hot.start();
        String verify;
        try {
            verify =
                    BatchRun.run(
                            dir,
                            yaml(db, "exactly-once"),
                            "--rechecks",
                            "2",
                            "--recheck-delay-ms",
                            "300");
        } finally {
            running.set(false);
            hot.join();
        }
        assertTrue(verify.startsWith("2\n"), verify);
        assertTrue(
                verify.contains("(1 rows kept changing: unsettled)")
                        && verify.contains("UNSETTLED: 4 rows"),
                verify);
    }
}

package io.shardsync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.testing.MariaDb;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify and repair where a shard's table no longer has the source's columns (a schema change the
 * job was told to ignore): each column apart is a SCHEMA difference, the rows are compared on the
 * shared columns, and repair fixes the rows and leaves the columns to a DDL.
 */
class VerifySchemaITCase {
    @TempDir Path dir;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void columnsApartAreSchemaDifferencesAndRowsCompareOnTheShared() throws Exception {
        String db = MariaDb.createDatabase("schema");
        String table = db + ".t";
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "USE " + db,
                "CREATE TABLE "
                        + table
                        + " (id INT PRIMARY KEY, s INT NOT NULL, v VARCHAR(20),"
                        + " added INT)",
                "INSERT INTO "
                        + table
                        + " SELECT seq, seq, CONCAT('row ', seq), seq FROM seq_1_to_40");
        for (int shard = 0; shard < 2; shard++) {
            int port = MariaDb.SHARD_PORTS.get(shard);
            MariaDb.execute(
                    port,
                    "CREATE DATABASE " + db,
                    "USE " + db,
                    "CREATE TABLE "
                            + table
                            + " (id INT PRIMARY KEY, s INT NOT NULL, v VARCHAR(20))",
                    "INSERT INTO "
                            + table
                            + " SELECT seq, seq, CONCAT('row ', seq) FROM seq_1_to_40"
                            + " WHERE seq % 2 = "
                            + shard);
        }
        MariaDb.execute(
                MariaDb.SHARD_PORTS.get(1),
                "ALTER TABLE " + table + " ADD COLUMN dropped INT",
                "UPDATE " + table + " SET v = 'wrong' WHERE id = 7");
        String yaml =
                MariaDb.config(
                        "exactly-once",
                        1,
                        "  - database: " + db + "\n    table: t\n    shardKey: s\n");

        String report = BatchRun.run(dir, yaml, "--rechecks", "1", "--recheck-delay-ms", "0");
        assertTrue(report.startsWith("1\n"), report);
        assertEquals(
                List.of(
                        "DIFFERENT   key [7] on [shard-1] columns [v]",
                        "SCHEMA      key [] on [shard-0] columns [added]",
                        "SCHEMA      key [] on [shard-1] columns [added]",
                        "SCHEMA      key [] on [shard-1] columns [dropped]"),
                BatchRun.differenceLines(report));
        String repair = BatchRun.run(dir, yaml, "--execute");
        assertTrue(
                repair.contains(
                        "repaired 1 rows, 0 still differ; 3 column differences are left to a DDL"
                                + " on the shards"),
                repair);
        assertEquals(
                List.of("row 7"),
                MariaDb.query(
                        MariaDb.SHARD_PORTS.get(1), "SELECT v FROM " + table + " WHERE id = 7"));
    }
}

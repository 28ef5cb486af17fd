package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole job on a MiniCluster against the real MariaDB source and shards. */
class SyncITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path checkpoints;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"exactly-once, latest-wins", "idempotent, latest-wins", "exactly-once, ordered"})
    void snapshotThenLiveChangesEndExactlyEqual(String delivery, String mergeMode)
            throws Exception {
        String db = MariaDb.createDatabase("sync");
        ChangeGenerator.createOrders(db, 10_000);
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(
                                MariaDb.config(delivery, 2, ChangeGenerator.ordersConfig(db))
                                        + "mergeMode: "
                                        + mergeMode
                                        + "\n"),
                        checkpoints,
                        null);
        long changes;
        try (ChangeGenerator generator = ChangeGenerator.start(db, 10_001, 2)) {
            Thread.sleep(15_000);
            changes = generator.changes();
        }
        try {
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
            assertTrue(changes > 500, "only " + changes + " changes were generated");
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void everyColumnTypeRoundTripsWithBinlogPositionVersions() throws Exception {
        String db = MariaDb.createDatabase("types");
        String table = db + ".all_types";
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "CREATE TABLE "
                        + table
                        + " (id INT PRIMARY KEY, ti TINYINT, si SMALLINT UNSIGNED,"
                        + " mi MEDIUMINT, bi BIGINT, ubi BIGINT UNSIGNED, dec_v DECIMAL(20,6), fl FLOAT,"
                        + " dbl DOUBLE, b1 BIT(1), b12 BIT(12), d DATE, t TIME(3), dt DATETIME(6),"
                        + " dt0 DATETIME, ts TIMESTAMP(6) NULL, y YEAR, c CHAR(10), vc VARCHAR(100) CHARACTER SET utf8mb4,"
                        + " tx TEXT CHARACTER SET utf8mb4, e ENUM('a','b','c'), st SET('x','y','z'), j JSON,"
                        + " bin BINARY(4), vb VARBINARY(16), bl BLOB, nothing INT NULL)",
                "INSERT INTO "
                        + table
                        + " VALUES (1, -128, 65535, -8388608, -9223372036854775808,"
                        + " 18446744073709551615, -12345678901234.000001, 3.25, 2.718281828459045, b'1',"
                        + " b'101010101010', '1000-01-01', '-838:59:59.000', '2024-02-29 23:59:59.999999',"
                        + " '2024-01-01 10:00:00', '2038-01-19 03:14:07.123456', 2155, 'abc', 'emoji 😀 ✓',"
                        + " REPEAT('long ', 2000), 'c', 'x,z', '{\"a\": [1, 2, {\"b\": null}]}', x'00FF1000',"
                        + " x'DEADBEEF00', x'0001FF', NULL)",
                "INSERT INTO "
                        + table
                        + " (id, c, vc, tx, dec_v, t) VALUES (2, '', '', NULL, 0.000001, '25:00:00.5')");
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(
                                MariaDb.config(
                                        "exactly-once",
                                        1,
                                        "  - database: "
                                                + db
                                                + "\n    table: all_types\n    shardKey: id\n")),
                        checkpoints,
                        null);
        try {
            ShardedTable types =
                    new ShardedTable(
                            db,
                            "all_types",
                            "id",
                            row -> Integer.parseInt(ShardedTable.text(row, "id")) % 2);
            assertEquals(List.of(), types.awaitEqual(60_000));
            // binlog changes, including two changes of one row in one transaction (same event time)
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "INSERT INTO "
                            + table
                            + " SELECT id + 10, ti, si, mi, bi, ubi, dec_v, fl, dbl, b1, b12, d,"
                            // Debezium decodes negative TIME wrongly from the binlog (README,
                            // known limitations): the binlog copies carry a positive one.
                            + " '838:59:58.999',"
                            + " dt, dt0, ts, y, c, vc, tx, e, st, j, bin, vb, bl, nothing FROM "
                            + table,
                    "BEGIN",
                    "UPDATE "
                            + table
                            + " SET vc = 'first', dt = '2025-05-05 05:05:05.000005' WHERE id = 11",
                    "UPDATE " + table + " SET vc = 'second', ubi = 0 WHERE id = 11",
                    "COMMIT",
                    "UPDATE " + table + " SET id = 13 WHERE id = 12",
                    "DELETE FROM " + table + " WHERE id = 2");
            assertEquals(List.of(), types.awaitEqual(60_000));
            assertEquals(
                    List.of("1", "11", "13"),
                    List.copyOf(types.rows(MariaDb.SOURCE_PORT).keySet()));
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void aRowTheShardRejectsIsOneTargetRejectedConflictAndEveryOtherRowSyncs() throws Exception {
        String db = MariaDb.createDatabase("reject");
        ChangeGenerator.createOrders(db, 100);
        for (int port : MariaDb.SHARD_PORTS) {
            MariaDb.execute(
                    port,
                    "CREATE DATABASE " + db,
                    String.format(ChangeGenerator.ORDERS_DDL, db),
                    "ALTER TABLE " + db + ".orders ADD CONSTRAINT small CHECK (amount < 1000)");
        }
        String control = "ctl_" + db;
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(
                                MariaDb.config("exactly-once", 1, ChangeGenerator.ordersConfig(db))
                                        + MariaDb.controlDatabase(control)),
                        checkpoints,
                        null);
        try {
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "INSERT INTO "
                            + db
                            + ".orders VALUES (1001, 1, 'too big', 5000, 1, NOW(6)),"
                            + " (1002, 2, 'fine', 5, 1, NOW(6))",
                    "UPDATE " + db + ".orders SET note = 'after', version = 2 WHERE id = 3");
            assertEquals(
                    List.of("missing 1001"), ChangeGenerator.shardedOrders(db).awaitEqual(60_000));
            try (Connection shard = MariaDb.admin(MariaDb.SHARD_PORTS.get(1));
                    Statement s = shard.createStatement();
                    ResultSet rs =
                            s.executeQuery(
                                    "SELECT table_name, row_key, op, error FROM shardsync.rejected_changes WHERE table_name = '"
                                            + db
                                            + ".orders'")) {
                assertTrue(rs.next());
                assertEquals("1001", rs.getString("row_key"));
                assertTrue(rs.getString("error").contains("CONSTRAINT"), rs.getString("error"));
                assertTrue(!rs.next(), "exactly one rejected change");
            }
            Thread.sleep(3_000); // the checkpoint after the commit carries the conflict
            List<String> conflicts =
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT kind, table_name, row_key, shard, applied, error FROM "
                                    + control
                                    + ".sync_conflicts");
            assertEquals(1, conflicts.size(), conflicts.toString());
            assertTrue(
                    conflicts
                            .get(0)
                            .startsWith("TARGET_REJECTED|" + db + ".orders|1001|shard-1|0|"),
                    conflicts.get(0));
            assertTrue(conflicts.get(0).contains("CONSTRAINT"), conflicts.get(0));
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /**
     * A restored job's binlog reader works through changes committed before the restore, for longer
     * than the source idleness: the reader's outputs that see none of them (its main output) must
     * not take it for quiet and move event time past them — none may come out LATE.
     */
    @Test
    void aBacklogReadAfterARestoreIsNotLate() throws Exception {
        String db = MariaDb.createDatabase("backlog");
        String control = db + "_control";
        ChangeGenerator.createOrders(db, 2_000);
        JobConfig config =
                SyncJobs.parse(
                        MariaDb.config("exactly-once", 2, ChangeGenerator.ordersConfig(db))
                                + MariaDb.controlDatabase(control));
        JobClient first = SyncJobs.start(config, checkpoints, null);
        assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(60_000));
        String savepoint =
                first.stopWithSavepoint(
                                false,
                                checkpoints.toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        for (int i = 0; i < 60; i++) { // 120,000 changes: several seconds of reading
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "UPDATE " + db + ".orders SET version = version + 1, updated_at = NOW(6)");
        }
        Thread.sleep(3_000); // every change older than the restore by more than that
        JobClient job = SyncJobs.start(config, checkpoints, savepoint);
        try {
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
            Thread.sleep(3_000); // conflicts reach their table with the next checkpoints
            assertEquals(
                    List.of(),
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT kind, COUNT(*) FROM "
                                    + control
                                    + ".sync_conflicts GROUP BY kind"));
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /**
     * A table without a version column, whose source fails over to a replica with its own binlog:
     * the job, restored from a savepoint with the new server as a new source that starts at the
     * replica's binlog position of the failover, follows that binlog; its changes are newer than
     * the old binlog's, whatever their positions.
     */
    @Test
    void aReplicaTakingOverTheSourceIsFollowedWithoutAVersionColumn() throws Exception {
        String db = MariaDb.createDatabase("takeover");
        String table = db + ".t";
        String create =
                "CREATE TABLE " + table + " (id INT PRIMARY KEY, user_id INT, note VARCHAR(20))";
        String rows = "INSERT INTO " + table + " SELECT seq, seq, 'first' FROM seq_1_to_200";
        MariaDb.execute(MariaDb.SOURCE_PORT, "USE " + db, create, rows);
        MariaDb.execute(
                MariaDb.SECOND_SOURCE_PORT, "CREATE DATABASE " + db, "USE " + db, create, rows);
        String tables = "  - database: " + db + "\n    table: t\n    shardKey: user_id\n";
        JobClient first =
                SyncJobs.start(
                        SyncJobs.parse(MariaDb.config("exactly-once", 2, tables)),
                        checkpoints,
                        null);
        ShardedTable shards =
                new ShardedTable(
                        db,
                        "t",
                        "id",
                        row -> Integer.parseInt(ShardedTable.text(row, "user_id")) % 2);
        assertEquals(List.of(), shards.awaitEqual(60_000));
        String savepoint =
                first.stopWithSavepoint(
                                false,
                                checkpoints.toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        // the replica is the source now: changes while the job is down, and after it resumed
        String failover = MariaDb.query(MariaDb.SECOND_SOURCE_PORT, "SHOW MASTER STATUS").get(0);
        String[] position = failover.split("\\|");
        MariaDb.execute(
                MariaDb.SECOND_SOURCE_PORT,
                "UPDATE " + table + " SET note = 'down' WHERE id <= 50",
                "DELETE FROM " + table + " WHERE id BETWEEN 51 AND 60");
        String replica =
                MariaDb.config(List.of(MariaDb.SECOND_SOURCE_PORT), "exactly-once", 2, tables)
                        .replace("  - host: 127.0.0.1\n", "  - id: replica\n    host: 127.0.0.1\n")
                        .replace(
                                "    splitSize: 1000\n",
                                "    splitSize: 1000\n    startAt: {binlogFile: "
                                        + position[0]
                                        + ", binlogPosition: "
                                        + position[1]
                                        + "}\n");
        JobClient job = SyncJobs.start(SyncJobs.parse(replica), checkpoints, savepoint, true);
        try {
            MariaDb.execute(
                    MariaDb.SECOND_SOURCE_PORT,
                    "UPDATE " + table + " SET note = 'resumed' WHERE id BETWEEN 100 AND 150",
                    "UPDATE " + table + " SET user_id = user_id + 1, note = 'moved' WHERE id > 190",
                    "INSERT INTO " + table + " VALUES (500, 500, 'new')");
            assertEquals(
                    List.of(),
                    shards.awaitEqual(60_000, () -> shards.rows(MariaDb.SECOND_SOURCE_PORT)));
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void refusesToStartOnAnIncompatibleShardTableOrAnUnknownColumn() throws Exception {
        String db = MariaDb.createDatabase("startup");
        ChangeGenerator.createOrders(db, 10);
        MariaDb.execute(
                MariaDb.SHARD_PORTS.get(1),
                "CREATE DATABASE " + db,
                String.format(ChangeGenerator.ORDERS_DDL, db)
                        .replace("note VARCHAR(200)", "note VARCHAR(20)"));
        IllegalStateException incompatible =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                SyncJobs.start(
                                        SyncJobs.parse(
                                                MariaDb.config(
                                                        "exactly-once",
                                                        1,
                                                        ChangeGenerator.ordersConfig(db))),
                                        checkpoints,
                                        null));
        assertEquals(
                "shard 'shard-1': table "
                        + db
                        + ".orders is incompatible with the source: column 'note' is"
                        + " varchar(20) on the shard, varchar(200) at the source",
                incompatible.getMessage());

        ConfigException unknownColumn =
                assertThrows(
                        ConfigException.class,
                        () ->
                                SyncJobs.start(
                                        SyncJobs.parse(
                                                MariaDb.config(
                                                        "exactly-once",
                                                        1,
                                                        ChangeGenerator.ordersConfig(db)
                                                                .replace(
                                                                        "shardKey: user_id",
                                                                        "shardKey: uid"))),
                                        checkpoints,
                                        null));
        assertEquals(
                "tables[0].shardKey: column 'uid' not in " + db + ".orders",
                unknownColumn.getMessage());
    }
}

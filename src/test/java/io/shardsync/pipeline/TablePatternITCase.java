package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code tablePattern} over an already-sharded source ({@code orders_00} … {@code orders_07}):
 * every matching table is synced, each by its shard key, and none that does not match (nor an
 * online schema change's shadow table); a matching table created later is synced, snapshot first,
 * from the job's next start.
 */
class TablePatternITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path dir;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    private static void createOrders(String db, String table) throws Exception {
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "USE " + db,
                "CREATE TABLE "
                        + table
                        + " (id INT PRIMARY KEY, user_id INT NOT NULL, note VARCHAR(20))",
                "INSERT INTO " + table + " SELECT seq, seq % 9, CONCAT('n', seq) FROM seq_1_to_60");
    }

    /** Waits until each table's shards hold its source rows by {@code user_id % 2}. */
    private static Map<String, List<String>> awaitSynced(String db, List<String> tables)
            throws Exception {
        Map<String, List<String>> differences = new LinkedHashMap<>();
        for (String table : tables) {
            List<String> left =
                    new ShardedTable(
                                    db,
                                    table,
                                    "id",
                                    row -> Integer.parseInt(ShardedTable.text(row, "user_id")) % 2)
                            .awaitEqual(differences.isEmpty() ? 120_000 : 5_000);
            if (!left.isEmpty()) {
                differences.put(table, left);
            }
        }
        return differences;
    }

    @Test
    void everyMatchingTableIsSyncedAndOneCreatedLaterFromTheNextStart() throws Exception {
        String db = MariaDb.createDatabase("pattern");
        List<String> shards =
                List.of(
                        "orders_00",
                        "orders_01",
                        "orders_02",
                        "orders_03",
                        "orders_04",
                        "orders_05",
                        "orders_06",
                        "orders_07");
        for (String table : shards) {
            createOrders(db, table);
        }
        createOrders(db, "orders_archive");
        createOrders(db, "_orders_00_new"); // pt-online-schema-change's shadow table
        JobConfig config =
                SyncJobs.parse(
                        MariaDb.config(
                                "exactly-once",
                                2,
                                "  - database: "
                                        + db
                                        + "\n    tablePattern: 'orders_\\d+'\n    shardKey: user_id\n"));
        JobClient job = SyncJobs.start(config, dir.resolve("checkpoints"), null);
        try {
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "USE " + db,
                    "UPDATE orders_03 SET user_id = user_id + 1 WHERE id % 3 = 0",
                    "DELETE FROM orders_05 WHERE id < 10",
                    "INSERT INTO orders_07 SELECT seq, seq % 9, 'new' FROM seq_61_to_80");
            assertEquals(Map.of(), awaitSynced(db, shards));
            for (int port : MariaDb.SHARD_PORTS) {
                assertEquals(
                        List.of("0"),
                        MariaDb.query(
                                port,
                                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA"
                                        + " = '"
                                        + db
                                        + "' AND TABLE_NAME IN ('orders_archive', '_orders_00_new')"),
                        "tables the pattern does not match stay off the shards");
            }

            createOrders(db, "orders_08");
            job =
                    SyncJobs.restartFromSavepoint(
                            job, config, dir.resolve("checkpoints"), dir.resolve("savepoints"));
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "USE " + db,
                    "UPDATE orders_08 SET note = 'changed' WHERE id % 4 = 0",
                    "UPDATE orders_01 SET note = 'changed' WHERE id % 4 = 0");
            assertEquals(Map.of(), awaitSynced(db, List.of("orders_08", "orders_01")));
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void aPatternThatMatchesNothingIsRefusedAtStart() throws Exception {
        String db = MariaDb.createDatabase("nomatch");
        JobConfig config =
                SyncJobs.parse(
                        MariaDb.config(
                                "exactly-once",
                                1,
                                "  - database: " + db + "\n    tablePattern: 'orders_\\d+'\n"));
        ConfigException refused =
                assertThrows(
                        ConfigException.class,
                        () -> SyncJobs.start(config, dir.resolve("checkpoints"), null));
        assertEquals(
                "tables[0].tablePattern: matches no table at the source", refused.getMessage());
    }

    @Test
    void tablesThePatternWritesToOneTargetAreMergedThereByVersion() throws Exception {
        String db = MariaDb.createDatabase("merged");
        StringBuilder union = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            String table = "orders_0" + i;
            // an already-sharded source: each table holds its own ids
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "USE " + db,
                    "CREATE TABLE "
                            + table
                            + " (id INT PRIMARY KEY, user_id INT NOT NULL, note VARCHAR(20),"
                            + " version INT NOT NULL)",
                    "INSERT INTO "
                            + table
                            + " SELECT seq * 8 + "
                            + i
                            + ", seq % 9, CONCAT('n', seq), 1 FROM seq_1_to_40");
            union.append(union.length() == 0 ? "" : " UNION ALL ")
                    .append("SELECT * FROM ")
                    .append(table);
        }
        MariaDb.execute(MariaDb.SOURCE_PORT, "USE " + db, "CREATE VIEW orders_all AS " + union);
        String entry =
                "  - database: "
                        + db
                        + "\n    tablePattern: 'orders_0\\d'\n    shardKey: user_id\n"
                        + "    target: {table: orders}\n";
        ConfigException unordered =
                assertThrows(
                        ConfigException.class,
                        () ->
                                SyncJobs.start(
                                        SyncJobs.parse(MariaDb.config("exactly-once", 1, entry)),
                                        dir.resolve("checkpoints"),
                                        null));
        assertEquals(
                "tables[0].target: "
                        + db
                        + ".orders_01 and "
                        + db
                        + ".orders_00 are both written to "
                        + db
                        + ".orders, so they are merged there, but they need one versionColumn,"
                        + " which orders a key's rows across them",
                unordered.getMessage());
        String yaml = MariaDb.config("exactly-once", 2, entry + "    versionColumn: version\n");
        Path config = Files.writeString(dir.resolve("merged.yaml"), yaml);
        JobClient job = SyncJobs.start(SyncJobs.parse(yaml), dir.resolve("checkpoints"), null);
        ShardedTable merged = ShardedTable.byUserInto(db, "orders_all", "orders");
        try {
            assertEquals(List.of(), merged.awaitEqual(120_000), "the snapshot of all eight");
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "USE " + db,
                    "UPDATE orders_03 SET user_id = user_id + 1, version = 2 WHERE id % 3 = 0",
                    "DELETE FROM orders_05 WHERE id < 100",
                    "INSERT INTO orders_07 SELECT seq * 8 + 7, seq % 9, 'new', 1"
                            + " FROM seq_41_to_50",
                    // one key in two tables: the higher version is the row
                    "INSERT INTO orders_01 VALUES (9001, 1, 'older', 5)",
                    "INSERT INTO orders_02 VALUES (9001, 2, 'newer', 7)");
            assertEquals(List.of("newer|7"), awaitRows(db + ".orders", 9001, List.of("newer|7")));
            // deleting the older copy at the source is older than the row: it stays
            MariaDb.execute(
                    MariaDb.SOURCE_PORT, "DELETE FROM " + db + ".orders_01 WHERE id = 9001");
            assertEquals(List.of(), merged.awaitEqual(120_000), "the binlog of all eight");
            int verified = SyncJobs.verify(config, dir);
            assertEquals(0, verified, "verify of the eight tables together is clean");
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /** The row's "note|version" on every shard, once it is {@code expected} (or after 60 s). */
    private static List<String> awaitRows(String table, int id, List<String> expected)
            throws Exception {
        List<String> rows = List.of();
        for (int i = 0; i < 120 && !rows.equals(expected); i++) {
            Thread.sleep(500);
            rows = new ArrayList<>();
            for (int port : MariaDb.SHARD_PORTS) {
                rows.addAll(
                        MariaDb.query(
                                port,
                                "SELECT CONCAT(note, '|', version) FROM "
                                        + table
                                        + " WHERE id = "
                                        + id));
            }
        }
        return rows;
    }
}

package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Table shapes users have (README "Tables as users have them"), each synced by one job at
 * parallelism 2 in both delivery modes: a snapshot, then inserts, updates, key changes, shard moves
 * and deletes, ending with every shard exactly its part of the source and no conflict at all.
 */
class TableShapesITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path checkpoints;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    /** One table: its definition, its job config lines, its rows before and changes after. */
    private record Shape(
            String table,
            String columns,
            String config,
            String keyColumn,
            List<String> snapshot,
            List<String> changes) {}

    private static List<Shape> shapes(String db) {
        List<Shape> shapes = new ArrayList<>();
        // A NULL version is older than every version: the later update and the delete apply.
        shapes.add(
                new Shape(
                        "nullable_version",
                        "id INT PRIMARY KEY, user_id INT NOT NULL, note VARCHAR(50),"
                                + " updated_at DATETIME(6) NULL",
                        "    versionColumn: updated_at\n",
                        "id",
                        List.of(
                                "INSERT INTO %s VALUES (1, 1, 'snap', NULL), (2, 2, 'snap', NULL),"
                                        + " (3, 3, 'snap', NOW(6))"),
                        List.of(
                                "INSERT INTO %s VALUES (10, 1, 'new', NULL), (11, 2, 'new', NULL),"
                                        + " (12, 3, 'gone', NULL)",
                                "UPDATE %s SET note = 'updated', updated_at = NOW(6)"
                                        + " WHERE id IN (1, 10)",
                                "UPDATE %s SET note = 'still null' WHERE id IN (2, 11)",
                                "UPDATE %s SET user_id = user_id + 1 WHERE id = 11",
                                "DELETE FROM %s WHERE id IN (3, 12)")));
        // A secondary UNIQUE key: e-mail addresses handed from row to row inside transactions,
        // between rows of one shard (user_id even) that two subtasks write.
        List<String> handOvers = new ArrayList<>();
        handOvers.add(
                // row 1's version is above row 3's: a write of row 3 that lands on row 1 by the
                // unique key is refused by row 1's version guard, and row 3 is lost
                "BEGIN; INSERT INTO %1$s VALUES (3, 2, 'c@x', 1);"
                        + " UPDATE %1$s SET email = 'a2@x', version = 6 WHERE id = 1;"
                        + " UPDATE %1$s SET email = 'a@x', version = 2 WHERE id = 3; COMMIT");
        for (int i = 100; i < 142; i += 2) { // swaps: 100 <-> 101, 102 <-> 103, ...
            handOvers.add(
                    String.format(
                            "BEGIN; UPDATE %%1$s SET email = 'tmp', version = version + 1 WHERE id = %d;"
                                    + " UPDATE %%1$s SET email = 'u%d@x', version = version + 1 WHERE id = %d;"
                                    + " UPDATE %%1$s SET email = 'u%d@x', version = version + 1 WHERE id = %d;"
                                    + " COMMIT",
                            i, i, i + 1, i + 1, i));
        }
        handOvers.add("UPDATE %s SET email = CONCAT('r', email), version = version + 1");
        shapes.add(
                new Shape(
                        "unique_email",
                        "id INT PRIMARY KEY, user_id INT NOT NULL, email VARCHAR(100) NOT NULL,"
                                + " version BIGINT NOT NULL, UNIQUE KEY (email)",
                        "    versionColumn: version\n",
                        "id",
                        List.of(
                                "INSERT INTO %s VALUES (1, 2, 'a@x', 5), (2, 2, 'b@x', 1)",
                                "INSERT INTO %s SELECT seq, 2, CONCAT('u', seq, '@x'), 1"
                                        + " FROM seq_100_to_141"),
                        handOvers));
        // A case-insensitive, PAD SPACE primary key: key changes MySQL sees as the same row.
        shapes.add(
                new Shape(
                        "ci_key",
                        "id VARCHAR(20) COLLATE utf8mb4_unicode_ci PRIMARY KEY, user_id INT NOT NULL,"
                                + " version BIGINT NOT NULL",
                        "    versionColumn: version\n",
                        "id",
                        List.of(
                                "INSERT INTO %s SELECT CONCAT('k', seq), seq, 1 FROM seq_1_to_2000"),
                        List.of(
                                "UPDATE %s SET id = UPPER(id), version = 2",
                                "UPDATE %s SET id = CONCAT(id, ' '), version = 3 WHERE user_id <= 100",
                                "BEGIN; DELETE FROM %1$s WHERE id = 'k1500';"
                                        + " INSERT INTO %1$s VALUES ('k1500', 1500, 4); COMMIT",
                                "BEGIN; INSERT INTO %1$s VALUES ('new', 1, 1);"
                                        + " DELETE FROM %1$s WHERE id = 'NEW'; COMMIT")));
        // Moves away and back, and a re-insert, at an unchanged version: newer by binlog position.
        shapes.add(
                new Shape(
                        "moved_back",
                        "id INT PRIMARY KEY, user_id INT NOT NULL, version BIGINT NOT NULL",
                        "    versionColumn: version\n",
                        "id",
                        List.of("INSERT INTO %s SELECT seq, seq, 1 FROM seq_1_to_10"),
                        // each step in a flush and checkpoint of its own: not compacted away
                        List.of(
                                "UPDATE %s SET user_id = user_id + 1 WHERE id <= 5",
                                "DO SLEEP(1.5)",
                                "UPDATE %s SET user_id = user_id - 1 WHERE id <= 5",
                                "DELETE FROM %s WHERE id = 9",
                                "DO SLEEP(1.5)",
                                "INSERT INTO %s VALUES (9, 9, 1)")));
        // A version column past 2^63.
        shapes.add(
                new Shape(
                        "unsigned_version",
                        "id INT PRIMARY KEY, user_id INT NOT NULL, version BIGINT UNSIGNED NOT NULL",
                        "    versionColumn: version\n",
                        "id",
                        List.of("INSERT INTO %s VALUES (1, 1, 9223372036854775808), (2, 2, 5)"),
                        List.of(
                                "UPDATE %s SET version = 18446744073709551615 WHERE id = 1",
                                "UPDATE %s SET version = 9223372036854775809, user_id = 3 WHERE id = 2",
                                "INSERT INTO %s VALUES (3, 3, 18446744073709551614)")));
        // Binary, DECIMAL and composite keys.
        shapes.add(
                new Shape(
                        "binary_key",
                        "id BINARY(16) PRIMARY KEY, user_id INT NOT NULL, note VARCHAR(20)",
                        "",
                        "HEX(id)",
                        List.of(
                                "INSERT INTO %s SELECT UNHEX(MD5(seq)), seq, 'snap' FROM seq_1_to_50",
                                "INSERT INTO %s VALUES (x'00000000000000000000000000000000', 44, 'zero')"),
                        List.of(
                                "UPDATE %s SET note = 'upd' WHERE user_id <= 20",
                                "UPDATE %s SET id = UNHEX(MD5(user_id + 1000)) WHERE user_id <= 10",
                                "UPDATE %s SET user_id = user_id + 1 WHERE user_id BETWEEN 30 AND 40",
                                "DELETE FROM %s WHERE user_id > 45")));
        shapes.add(
                new Shape(
                        "decimal_composite_key",
                        "amount DECIMAL(30,10), big BIGINT UNSIGNED, user_id INT NOT NULL,"
                                + " note VARCHAR(20), PRIMARY KEY (amount, big)",
                        "",
                        "CONCAT(amount, '/', big)",
                        List.of(
                                "INSERT INTO %s SELECT seq / 7, 18446744073709551615 - seq, seq, 'snap'"
                                        + " FROM seq_1_to_50"),
                        List.of(
                                "UPDATE %s SET note = 'upd', big = big - 100 WHERE user_id <= 20",
                                "UPDATE %s SET user_id = user_id + 1 WHERE user_id BETWEEN 30 AND 40",
                                "DELETE FROM %s WHERE user_id > 45")));
        shapes.add(
                new Shape(
                        "datetime_key",
                        "id DATETIME(6) PRIMARY KEY, user_id INT NOT NULL, note VARCHAR(20)",
                        "",
                        "id",
                        List.of(
                                "INSERT INTO %s SELECT TIMESTAMP('2024-02-29 23:59:59.999999')"
                                        + " + INTERVAL seq SECOND, seq, 'snap' FROM seq_1_to_30"),
                        List.of(
                                "UPDATE %s SET id = id + INTERVAL 1 MICROSECOND WHERE user_id <= 10",
                                "UPDATE %s SET user_id = user_id + 1 WHERE user_id BETWEEN 11 AND 20",
                                "DELETE FROM %s WHERE user_id > 25")));
        // Generated columns are the shard's to compute, never written.
        shapes.add(
                new Shape(
                        "generated",
                        "id INT PRIMARY KEY, user_id INT NOT NULL, price INT NOT NULL,"
                                + " gross INT AS (price * 2) VIRTUAL, tag VARCHAR(30) AS"
                                + " (CONCAT('p', price)) STORED",
                        "",
                        "id",
                        List.of(
                                "INSERT INTO %s (id, user_id, price) SELECT seq, seq, seq FROM seq_1_to_20"),
                        List.of(
                                "UPDATE %s SET price = price + 1 WHERE id <= 10",
                                "UPDATE %s SET user_id = user_id + 1 WHERE id BETWEEN 11 AND 15",
                                "INSERT INTO %s (id, user_id, price) VALUES (30, 30, 30)",
                                "DELETE FROM %s WHERE id = 20")));
        // A child table whose foreign key points at a parent that may sit on another shard.
        shapes.add(
                new Shape(
                        "parent",
                        "id INT PRIMARY KEY, user_id INT NOT NULL",
                        "",
                        "id",
                        List.of("INSERT INTO %s SELECT seq, seq FROM seq_1_to_20"),
                        List.of("INSERT INTO %s VALUES (21, 21), (22, 22)")));
        shapes.add(
                new Shape(
                        "child",
                        "id INT PRIMARY KEY, user_id INT NOT NULL, parent_id INT NOT NULL,"
                                + " FOREIGN KEY (parent_id) REFERENCES "
                                + db
                                + ".parent (id)",
                        "",
                        "id",
                        List.of("INSERT INTO %s SELECT seq, seq + 1, seq FROM seq_1_to_20"),
                        List.of(
                                "INSERT INTO %s VALUES (21, 22, 21), (22, 23, 22)",
                                "UPDATE %s SET parent_id = 22 WHERE id <= 5",
                                "DELETE FROM %s WHERE id > 15")));
        return shapes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"exactly-once", "idempotent"})
    void everyShapeSyncsExactlyWithoutAConflict(String delivery) throws Exception {
        String db = MariaDb.createDatabase("shapes");
        String control = db + "_control";
        // Idempotent writes are guarded by a version column: the shapes without one sync in
        // exactly-once mode only.
        List<Shape> synced =
                shapes(db).stream()
                        .filter(s -> delivery.equals("exactly-once") || !s.config().isEmpty())
                        .toList();
        StringBuilder tables = new StringBuilder();
        for (Shape shape : synced) {
            String name = db + "." + shape.table();
            MariaDb.execute(
                    MariaDb.SOURCE_PORT, "CREATE TABLE " + name + " (" + shape.columns() + ")");
            for (String sql : shape.snapshot()) {
                MariaDb.execute(MariaDb.SOURCE_PORT, "USE " + db, String.format(sql, name));
            }
            tables.append("  - database: ")
                    .append(db)
                    .append("\n    table: ")
                    .append(shape.table())
                    .append("\n    shardKey: user_id\n")
                    .append(shape.config());
        }
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(
                                MariaDb.config(delivery, 2, tables.toString())
                                        + MariaDb.controlDatabase(control)),
                        checkpoints,
                        null);
        try {
            Map<String, List<String>> problems = await(db, synced);
            assertEquals(Map.of(), problems, "after the snapshot");
            for (Shape shape : synced) {
                for (String sql : shape.changes()) {
                    // one connection: a "BEGIN; ...; COMMIT" is one transaction
                    MariaDb.execute(
                            MariaDb.SOURCE_PORT,
                            ("USE " + db + "; " + String.format(sql, db + "." + shape.table()))
                                    .split("; "));
                }
            }
            assertEquals(Map.of(), await(db, synced), "after the changes");
            Thread.sleep(3_000); // conflicts reach their table with the next checkpoints
            assertEquals(
                    List.of(),
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT kind, table_name, row_key, error FROM "
                                    + control
                                    + ".sync_conflicts"));
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /**
     * 1,000 rows of 40 KB, all for one shard: together far over its max_allowed_packet (16 MB), so
     * they must go in several statements; and one row of 20 MB, which the shard cannot take at all:
     * one TARGET_REJECTED conflict, and everything else syncs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"exactly-once", "idempotent"})
    void rowsOverTheShardsPacketSizeSyncAndARowItCannotTakeIsRejected(String delivery)
            throws Exception {
        String db = MariaDb.createDatabase("big");
        String control = db + "_control";
        String table = db + ".big_rows";
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "CREATE TABLE "
                        + table
                        + " (id INT PRIMARY KEY, user_id INT NOT NULL, version BIGINT NOT NULL,"
                        + " body LONGTEXT, note VARCHAR(20) CHARACTER SET utf8mb4)");
        // a control database someone made with a latin1 default: the job's tables are utf8mb4
        MariaDb.execute(
                MariaDb.SHARD_PORTS.get(0), "CREATE DATABASE " + control + " CHARACTER SET latin1");
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(
                                MariaDb.config(
                                                delivery,
                                                2,
                                                "  - database: "
                                                        + db
                                                        + "\n    table: big_rows\n    shardKey: user_id\n"
                                                        + "    versionColumn: version\n")
                                        + MariaDb.controlDatabase(control)),
                        checkpoints,
                        null);
        List<String> shardMax =
                MariaDb.query(MariaDb.SHARD_PORTS.get(0), "SELECT @@max_allowed_packet");
        assertEquals(List.of("16777216"), shardMax);
        try {
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "USE " + db,
                    "INSERT INTO big_rows SELECT seq, 2, 1, REPEAT(CHAR(65 + seq % 26), 40000), 'n'"
                            + " FROM seq_1_to_1000",
                    "SET GLOBAL max_allowed_packet = 64 * 1024 * 1024");
            // a new connection has the larger packet size
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "INSERT INTO " + table + " VALUES (5000, 2, 1, REPEAT('x', 20000000), 'ü😀')",
                    "UPDATE " + table + " SET version = 2, body = 'small now' WHERE id = 7");
            ShardedTable shards =
                    new ShardedTable(
                            db,
                            "big_rows",
                            "id",
                            row -> Integer.parseInt(ShardedTable.text(row, "user_id")) % 2);
            assertEquals(
                    List.of(),
                    shards.awaitEqual(
                            120_000,
                            () -> {
                                Map<String, Map<String, String>> rows =
                                        shards.rows(MariaDb.SOURCE_PORT);
                                rows.remove("5000");
                                return rows;
                            }));
            assertEquals(List.of("missing 5000"), shards.differences());
            Thread.sleep(3_000); // conflicts reach their table with the next checkpoints
            List<String> conflicts =
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT kind, row_key, error FROM " + control + ".sync_conflicts");
            assertEquals(1, conflicts.size(), conflicts.toString());
            assertTrue(
                    conflicts.get(0).startsWith("TARGET_REJECTED|5000|")
                            && conflicts.get(0).contains("max_allowed_packet"),
                    conflicts.get(0));
            assertEquals(
                    List.of(
                            "[\"5000\",\"2\",\"1\",\"(20000000 characters, not recorded)\",\"ü😀\"]"),
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT after_image FROM " + control + ".sync_conflicts"));
        } finally {
            MariaDb.execute(MariaDb.SOURCE_PORT, "SET GLOBAL max_allowed_packet = DEFAULT");
            SyncJobs.cancel(job);
        }
    }

    /** Waits for every table's shards to equal the source; what still differs, by table. */
    private static Map<String, List<String>> await(String db, List<Shape> shapes) throws Exception {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (Shape shape : shapes) {
            List<String> differences =
                    new ShardedTable(
                                    db,
                                    shape.table(),
                                    shape.keyColumn(),
                                    row -> Integer.parseInt(ShardedTable.text(row, "user_id")) % 2)
                            .awaitEqual(problems.isEmpty() ? 60_000 : 5_000);
            if (!differences.isEmpty()) {
                problems.put(shape.table(), differences);
            }
        }
        return problems;
    }
}

package io.shardsync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.CommandLine;
import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.model.SyncTable;
import io.shardsync.reshard.ReshardAction;
import io.shardsync.scan.TableSql;
import io.shardsync.source.SchemaLoader;
import io.shardsync.testing.JobMetrics;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code range} and {@code map} rules over the key types they take: the stream (parallelism 2)
 * places each row, through a snapshot, moves and NULL keys, exactly where the SQL of {@link
 * TableSql#shardOf} that verify, repair and reshard use says it belongs; a value the map does not
 * list is one TARGET_REJECTED conflict and on no shard, which verify agrees with.
 */
class RangeMapRoutingITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path dir;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    /** A table: its shard key's type, its value for row seq, and its rule's config lines. */
    private record Keyed(String type, String value, String rule) {}

    @Test
    void rangeAndMapRoutingAgreesWithItsSqlForEveryKeyType(@InjectClusterRESTAddress URI rest)
            throws Exception {
        String db = MariaDb.createDatabase("rules");
        String control = db + "_control";
        Map<String, Keyed> keys = new LinkedHashMap<>();
        // boundaries that rows hit exactly: seq 30 is the first row of shard 1
        keys.put(
                "range_int",
                new Keyed("INT", "CAST(seq AS SIGNED) - 20", "range\n    ranges: [10]"));
        keys.put(
                "range_decimal",
                new Keyed("DECIMAL(12,4)", "seq / 7", "range\n    ranges: [4.2857]"));
        keys.put(
                "range_unsigned",
                new Keyed(
                        "BIGINT UNSIGNED",
                        "18446744073709551615 - seq",
                        "range\n    ranges: [18446744073709551585]"));
        keys.put(
                "range_datetime",
                new Keyed(
                        "DATETIME(6)",
                        "TIMESTAMP('2024-01-01 10:00:00.123') + INTERVAL seq HOUR",
                        "range\n    ranges: ['2024-01-02 16:00:00.123']"));
        keys.put(
                "range_date",
                new Keyed(
                        "DATE",
                        "DATE('2024-02-28') + INTERVAL seq DAY",
                        "range\n    ranges: ['2024-03-29']"));
        keys.put(
                "map_int",
                new Keyed(
                        "INT",
                        "seq % 5",
                        "map\n    values: {\"0\": 0, \"1\": 1, \"2\": 1, \"3\": 0}\n    default: 1"));
        keys.put(
                "map_decimal",
                new Keyed(
                        "DECIMAL(6,2)",
                        "(seq % 4) / 2",
                        "map\n    values: {\"0\": 1, \"0.5\": 0, \"1.0\": 1}\n    default: 0"));
        // in a _ci column 'us', 'Us ' and 'US' are one value, and 'ü' is 'U'
        keys.put(
                "map_ci",
                new Keyed(
                        "VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
                        "ELT(1 + seq % 4, 'CN', 'us', 'Us ', 'ü')",
                        "map\n    values: {\"cn\": 0, \"US\": 1, \"U\": 0}"));
        StringBuilder tables = new StringBuilder();
        for (Map.Entry<String, Keyed> key : keys.entrySet()) {
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "USE " + db,
                    "CREATE TABLE "
                            + key.getKey()
                            + " (id INT PRIMARY KEY, k "
                            + key.getValue().type()
                            + " NULL)",
                    "INSERT INTO "
                            + key.getKey()
                            + " SELECT seq, "
                            + key.getValue().value()
                            + " FROM seq_1_to_60");
            tables.append("  - database: ")
                    .append(db)
                    .append("\n    table: ")
                    .append(key.getKey())
                    .append("\n    shardKey: k\n    shardRule: ")
                    .append(key.getValue().rule())
                    .append('\n');
        }
        String yaml =
                MariaDb.config("exactly-once", 2, tables.toString())
                        + MariaDb.controlDatabase(control);
        JobConfig config = SyncJobs.parse(yaml);
        JobClient job = SyncJobs.start(config, dir.resolve("checkpoints"), null);
        try {
            for (String table : keys.keySet()) {
                // moves both ways: keys of rows 29 apart swap ranges; one key turns NULL
                MariaDb.execute(
                        MariaDb.SOURCE_PORT,
                        "USE " + db,
                        moves(table, "+", 0),
                        moves(table, "-", 1),
                        "UPDATE " + table + " SET k = NULL WHERE id = 7");
            }
            MariaDb.execute(
                    MariaDb.SOURCE_PORT, "INSERT INTO " + db + ".map_ci VALUES (100, 'DE')");
            Map<String, SyncTable> synced = new HashMap<>();
            SchemaLoader.load(config).forEach(t -> synced.put(t.table(), t));
            Map<String, List<String>> problems = new LinkedHashMap<>();
            for (String table : keys.keySet()) {
                Map<String, Integer> sqlShard = sqlShards(synced.get(table), config);
                assertTrue(
                        sqlShard.containsValue(0) && sqlShard.containsValue(1),
                        table + ": " + sqlShard);
                ShardedTable shards =
                        new ShardedTable(
                                db, table, "id", row -> sqlShard.get(ShardedTable.text(row, "id")));
                List<String> differences =
                        shards.awaitEqual(
                                problems.isEmpty() ? 60_000 : 5_000,
                                () -> {
                                    Map<String, Map<String, String>> rows =
                                            shards.rows(MariaDb.SOURCE_PORT);
                                    rows.keySet().removeIf(id -> sqlShard.get(id) == null);
                                    return rows;
                                });
                if (!differences.isEmpty()) {
                    problems.put(table, differences);
                }
            }
            assertEquals(Map.of(), problems);
            Thread.sleep(3_000); // conflicts reach their table with the next checkpoints
            assertEquals(
                    List.of(
                            "TARGET_REJECTED|no shard for k 'DE': the map rule lists no such value"
                                    + " and has no default"),
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT kind, error FROM " + control + ".sync_conflicts"));
            assertEquals(
                    1,
                    new JobMetrics(rest, job.getJobID())
                            .await("Route to shards", ".shardsync.rejectedChanges", 1, 10_000));
        } finally {
            SyncJobs.cancel(job);
        }
        String[] verify = {"--rechecks", "1", "--recheck-delay-ms", "0"};
        String clean = BatchRun.run(dir, yaml, verify);
        assertTrue(clean.startsWith("0\n") && clean.contains("CLEAN"), clean);
        // a copy of the row on no shard is extra wherever it is, and repair deletes it
        MariaDb.execute(
                MariaDb.SHARD_PORTS.get(0), "INSERT INTO " + db + ".map_ci VALUES (100, 'DE')");
        String extra = BatchRun.run(dir, yaml, verify);
        assertEquals(
                List.of("EXTRA       key [100] on [shard-0]"), BatchRun.differenceLines(extra));
        String repair = BatchRun.run(dir, yaml, "--execute");
        assertTrue(repair.contains("repaired 1 rows, 0 still differ"), repair);
        assertTrue(BatchRun.run(dir, yaml, verify).startsWith("0\n"));
        assertEquals(
                "tables[0].shardRule: range [10] places rows by the config's own ranges, on"
                        + " other shards than the 4 of the new placement: give its new rule under"
                        + " tables: in --to (README: Scaling out)",
                reshardError(yaml));
    }

    /** Every third row takes the key of the row 29 ids above or below it. */
    private static String moves(String table, String direction, int remainder) {
        return "UPDATE "
                + table
                + " t JOIN "
                + table
                + " o ON o.id = t.id "
                + direction
                + " 29 SET t.k = o.k WHERE t.id % 3 = "
                + remainder;
    }

    /** Each source row's shard by the SQL of the table's rule (null: on no shard). */
    private static Map<String, Integer> sqlShards(SyncTable table, JobConfig config)
            throws Exception {
        Map<String, Integer> shards = new HashMap<>();
        for (String row :
                MariaDb.query(
                        MariaDb.SOURCE_PORT,
                        "SELECT id, "
                                + new TableSql(table).shardOf(config.shards().size())
                                + " FROM "
                                + table.qualifiedName())) {
            String[] parts = row.split("\\|");
            shards.put(parts[0], parts[1].equals("null") ? null : Integer.parseInt(parts[1]));
        }
        return shards;
    }

    private String reshardError(String yaml) throws Exception {
        Path config = Files.writeString(dir.resolve("reshard.yaml"), yaml);
        Path to =
                Files.writeString(
                        dir.resolve("to.yaml"),
                        MariaDb.shards(
                                Stream.concat(
                                                MariaDb.SHARD_PORTS.stream(),
                                                MariaDb.NEW_SHARD_PORTS.stream())
                                        .toList()));
        CommandLine commandLine =
                new CommandLine(
                        new String[] {
                            "--config", config.toString(), "--step", "start", "--to", to.toString()
                        });
        return assertThrows(ConfigException.class, () -> new ReshardAction(commandLine).run())
                .getMessage();
    }
}

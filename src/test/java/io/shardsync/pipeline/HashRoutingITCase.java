package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.model.Column;
import io.shardsync.source.InformationSchema;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code hash} rule against the SQL that verify, repair and reshard use, per key type. */
class HashRoutingITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path checkpoints;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    /**
     * The {@code hash} rule over shard keys of every type it takes: the stream places each row
     * (CRC32 of the job's text of the value) where the SQL that verify, repair and reshard use
     * ({@code CRC32(Column.canonicalSql)}) says it belongs, through inserts and moves.
     */
    @Test
    void hashRoutingAgreesWithItsSqlForEveryKeyType() throws Exception {
        String db = MariaDb.createDatabase("hash");
        // table -> the shard key's type and its value for row seq
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put(
                "hash_datetime",
                List.of("DATETIME(3)", "TIMESTAMP('2024-01-01 10:00:00.123') + INTERVAL seq HOUR"));
        keys.put("hash_varbinary", List.of("VARBINARY(16)", "UNHEX(MD5(seq))"));
        keys.put("hash_bit", List.of("BIT(10)", "seq * 7"));
        keys.put(
                "hash_latin1",
                List.of("VARCHAR(20) CHARACTER SET latin1", "CONCAT('crème ', seq)"));
        keys.put("hash_utf8", List.of("CHAR(8) CHARACTER SET utf8mb4", "CONCAT('ü😀', seq)"));
        keys.put("hash_decimal", List.of("DECIMAL(12,4)", "seq / 7"));
        keys.put("hash_date", List.of("DATE", "DATE('2024-02-28') + INTERVAL seq DAY"));
        keys.put("hash_year", List.of("YEAR", "1990 + seq"));
        keys.put(
                "hash_enum",
                List.of("ENUM('a','b','é','ü')", "ELT(1 + seq % 4, 'a', 'b', 'é', 'ü')"));
        keys.put("hash_unsigned", List.of("BIGINT UNSIGNED", "18446744073709551615 - seq"));
        StringBuilder tables = new StringBuilder();
        for (Map.Entry<String, List<String>> key : keys.entrySet()) {
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "USE " + db,
                    "CREATE TABLE "
                            + key.getKey()
                            + " (id INT PRIMARY KEY, k "
                            + key.getValue().get(0)
                            + ")",
                    "INSERT INTO "
                            + key.getKey()
                            + " SELECT seq, "
                            + key.getValue().get(1)
                            + " FROM seq_1_to_60");
            tables.append("  - database: ")
                    .append(db)
                    .append("\n    table: ")
                    .append(key.getKey())
                    .append("\n    shardKey: k\n    shardRule: hash\n");
        }
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(MariaDb.config("exactly-once", 2, tables.toString())),
                        checkpoints,
                        null);
        try {
            for (String table : keys.keySet()) {
                // moves: the key of every third row takes another row's value
                MariaDb.execute(
                        MariaDb.SOURCE_PORT,
                        "USE " + db,
                        "UPDATE "
                                + table
                                + " t JOIN "
                                + table
                                + " o ON o.id = t.id + 1"
                                + " SET t.k = o.k WHERE t.id % 3 = 0");
            }
            Map<String, List<String>> problems = new LinkedHashMap<>();
            for (String table : keys.keySet()) {
                Map<String, Integer> sqlShard = sqlShards(db, table);
                List<String> differences =
                        new ShardedTable(
                                        db,
                                        table,
                                        "id",
                                        row -> sqlShard.get(ShardedTable.text(row, "id")))
                                .awaitEqual(problems.isEmpty() ? 60_000 : 5_000);
                if (!differences.isEmpty()) {
                    problems.put(table, differences);
                }
            }
            assertEquals(Map.of(), problems);
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /** Each source row's shard by the SQL of the hash rule. */
    private static Map<String, Integer> sqlShards(String db, String table) throws Exception {
        Map<String, Integer> shards = new LinkedHashMap<>();
        try (Connection c = MariaDb.admin(MariaDb.SOURCE_PORT)) {
            Column key = InformationSchema.columns(c, db, table).get(1);
            for (String row :
                    MariaDb.query(
                            MariaDb.SOURCE_PORT,
                            "SELECT id, CRC32("
                                    + key.canonicalSql("k")
                                    + ") % 2 FROM "
                                    + db
                                    + "."
                                    + table)) {
                String[] parts = row.split("\\|");
                shards.put(parts[0], Integer.parseInt(parts[1]));
            }
        }
        return shards;
    }
}

package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A table's {@code where} on real MariaDB: the shards hold exactly the source rows the condition
 * keeps, each on its shard, through the snapshot and through inserts, deletes and updates that take
 * rows into the condition, out of it and between shards; verify, reading the source with the same
 * condition in SQL, finds them clean.
 */
class RowFilterITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    private static final String WHERE = "status <> 'draft' AND region IN ('CN', 'US')";

    @TempDir Path dir;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"exactly-once", "idempotent"})
    void theShardsHoldTheRowsTheConditionKeeps(String delivery) throws Exception {
        String db = MariaDb.createDatabase("filter");
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "USE " + db,
                "CREATE TABLE orders (id INT PRIMARY KEY, user_id INT NOT NULL,"
                        + " status VARCHAR(10) NOT NULL, region CHAR(2), version BIGINT NOT NULL)",
                // snapshot rows: every third a draft, every fifth in EU, some regions NULL
                "INSERT INTO orders SELECT seq, seq % 7, IF(seq % 3 = 0, 'draft', 'paid'),"
                        + " ELT(1 + seq % 5, 'CN', 'US', 'CN', 'US', 'EU'), 1 FROM seq_1_to_300",
                "UPDATE orders SET region = NULL WHERE id % 11 = 0");
        String yaml =
                MariaDb.config(
                        delivery,
                        2,
                        "  - database: "
                                + db
                                + "\n    table: orders\n    shardKey: user_id\n"
                                + "    versionColumn: version\n    where: \""
                                + WHERE
                                + "\"\n");
        Path config = Files.writeString(dir.resolve("job.yaml"), yaml);
        JobClient job = SyncJobs.start(SyncJobs.parse(yaml), dir.resolve("checkpoints"), null);
        ShardedTable shards =
                new ShardedTable(
                        db,
                        "orders",
                        "id",
                        row -> Integer.parseInt(ShardedTable.text(row, "user_id")) % 2);
        try {
            assertEquals(List.of(), awaitKept(shards), "the snapshot");
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "USE " + db,
                    // new rows, kept and not
                    "INSERT INTO orders SELECT seq, seq % 7, IF(seq % 4 = 0, 'draft', 'new'),"
                            + " ELT(1 + seq % 3, 'CN', 'EU', 'US'), 1 FROM seq_301_to_400",
                    // into the condition: drafts paid
                    "UPDATE orders SET status = 'paid', version = version + 1"
                            + " WHERE status = 'draft' AND id % 2 = 0",
                    // out of it: kept rows turned draft or moved to EU
                    "UPDATE orders SET status = 'draft', version = version + 1"
                            + " WHERE status = 'paid' AND id % 5 = 1",
                    "UPDATE orders SET region = 'EU', version = version + 1"
                            + " WHERE region = 'US' AND id % 7 = 2",
                    // between shards, in the condition or not
                    "UPDATE orders SET user_id = user_id + 1, version = version + 1"
                            + " WHERE id % 6 = 1",
                    // out of the condition and back in, then deletes of kept and dropped rows
                    "UPDATE orders SET status = 'draft', version = version + 1 WHERE id = 2",
                    "UPDATE orders SET status = 'paid', version = version + 1 WHERE id = 2",
                    "DELETE FROM orders WHERE id % 13 = 0");
            assertEquals(List.of(), awaitKept(shards), "the binlog");
            int verified = SyncJobs.verify(config, dir, "--recheck-delay-ms", "1000");
            assertEquals(0, verified, "verify is clean");
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /** Waits until the shards hold the source rows {@link #WHERE} keeps; what still differs. */
    private static List<String> awaitKept(ShardedTable shards) throws Exception {
        return shards.awaitEqual(
                120_000,
                () -> {
                    Map<String, Map<String, String>> rows = shards.rows(MariaDb.SOURCE_PORT);
                    rows.values().removeIf(row -> !kept(row));
                    return rows;
                });
    }

    /** What {@link #WHERE} keeps, in Java for the test's simple rows. */
    private static boolean kept(Map<String, String> row) {
        return !"draft".equals(ShardedTable.text(row, "status"))
                && List.of("CN", "US").contains(String.valueOf(ShardedTable.text(row, "region")));
    }
}

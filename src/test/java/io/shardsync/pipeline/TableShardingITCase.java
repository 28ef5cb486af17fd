package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 分库分表 on real MariaDB: two shard servers with four tables of the orders table on each, under
 * inserts, updates, deletes, moves between the tables of one server (a new primary key, a new user)
 * and between servers, and a TaskManager lost mid-stream. The shards end holding exactly the
 * source's rows, each in its one table, and verify finds them clean.
 */
class TableShardingITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path dir;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    /**
     * ShardingSphere style: the database by user, the table by order id, on databases named after
     * the shard; exactly-once.
     */
    @Test
    void databaseByUserAndTableByOrder(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String db = MariaDb.createDatabase("split");
        String entry =
                ChangeGenerator.ordersConfig(db)
                        + "    tableSharding: {count: 4, key: id, name: '{table}_{index:02}'}\n"
                        + "    target: {database: '{database}_{shard}'}\n";
        List<ShardedTable.Place> places = new ArrayList<>();
        for (int shard = 0; shard < 2; shard++) {
            for (int table = 0; table < 4; table++) {
                places.add(
                        new ShardedTable.Place(
                                MariaDb.SHARD_PORTS.get(shard),
                                db + "_" + shard + ".orders_0" + table));
            }
        }
        syncs(
                cluster,
                "exactly-once",
                db,
                entry,
                ShardedTable.spread(
                        db,
                        "orders",
                        "id",
                        places,
                        row -> userId(row) % 2 * 4 + (int) (Long.parseLong(id(row)) % 4)));
    }

    /** Both by user: the server by user_id mod 2, its table by ranges of user_id; idempotent. */
    @Test
    void serverAndTableByUser(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String db = MariaDb.createDatabase("split");
        String entry =
                ChangeGenerator.ordersConfig(db)
                        + "    tableSharding: {count: 4, rule: range, ranges: [24, 48, 72]}\n";
        List<ShardedTable.Place> places = new ArrayList<>();
        for (int shard = 0; shard < 2; shard++) {
            for (int table = 0; table < 4; table++) {
                places.add(
                        new ShardedTable.Place(
                                MariaDb.SHARD_PORTS.get(shard), db + ".orders_" + table));
            }
        }
        Function<Map<String, String>, Integer> placeOf =
                row -> userId(row) % 2 * 4 + Math.min(3, userId(row) / 24);
        syncs(
                cluster,
                "idempotent",
                db,
                entry,
                ShardedTable.spread(db, "orders", "id", places, placeOf));
    }

    private void syncs(
            MiniCluster cluster, String delivery, String db, String entry, ShardedTable shards)
            throws Exception {
        ChangeGenerator.createOrders(db, 5_000);
        String yaml = MariaDb.config(delivery, 2, entry);
        Path config = Files.writeString(dir.resolve("job.yaml"), yaml);
        JobClient job = SyncJobs.start(SyncJobs.parse(yaml), dir.resolve("checkpoints"), null);
        try {
            try (ChangeGenerator generator = ChangeGenerator.start(db, 5_001, 2)) {
                Thread.sleep(6_000);
                cluster.terminateTaskManager(0).get();
                cluster.startTaskManager();
                Thread.sleep(6_000);
            }
            assertEquals(List.of(), shards.awaitEqual(120_000));
            int verified = SyncJobs.verify(config, dir);
            assertEquals(0, verified, "verify is clean");
        } finally {
            SyncJobs.cancel(job);
        }
    }

    private static int userId(Map<String, String> row) {
        return Integer.parseInt(ShardedTable.text(row, "user_id"));
    }

    private static String id(Map<String, String> row) {
        return ShardedTable.text(row, "id");
    }
}

package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.JobConfig;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code schemaChanges: evolve} (the default): every kind of DDL at the source reaches every shard
 * at its place in the stream while changes flow, at parallelism 2 in both delivery modes, and the
 * shards end equal to the source in every column — across a TaskManager lost right after a
 * statement reached the first shard, and a job resumed from a checkpoint taken before statements it
 * then reads from the binlog.
 */
class SchemaEvolutionITCase {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaEvolutionITCase.class);
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path checkpoints;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    /** Runs statements at the source, then lets changes flow a while. */
    private static void atSource(String db, String... statements) throws Exception {
        String[] all = new String[statements.length + 1];
        all[0] = "USE " + db;
        System.arraycopy(statements, 0, all, 1, statements.length);
        MariaDb.execute(MariaDb.SOURCE_PORT, all);
        Thread.sleep(1_500);
    }

    /** The index names of the orders table on a server. */
    private static List<String> indexes(int port, String db) throws Exception {
        return MariaDb.query(
                port,
                "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA"
                        + " = '"
                        + db
                        + "' AND TABLE_NAME = 'orders' ORDER BY INDEX_NAME");
    }

    /** Waits until shard 0 has recorded a schema change of the table, done or not. */
    private static void awaitFirstShardAt(String db, String statementPart) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (MariaDb.query(
                        MariaDb.SHARD_PORTS.get(0),
                        "SELECT 1 FROM shardsync.schema_changes WHERE table_name = '"
                                + db
                                + ".orders' AND statement LIKE '%"
                                + statementPart
                                + "%'")
                .isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("'" + statementPart + "' never reached shard 0");
            }
            Thread.sleep(10);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exactly-once", "idempotent"})
    void everyKindOfStatementReachesEveryShardWhileChangesFlow(
            String delivery, @InjectMiniCluster MiniCluster cluster) throws Exception {
        String db = MariaDb.createDatabase("evolve");
        ChangeGenerator.createOrders(db, 3_000);
        JobClient job = SyncJobs.start(SyncJobs.ordersJob(delivery, 2, db), checkpoints, null);
        try {
            // after the snapshot: Flink CDC cannot read a chunk of a table whose columns changed
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(60_000));
            String issued;
            try (ChangeGenerator generator = ChangeGenerator.start(db, 3_001, 2)) {
                Thread.sleep(3_000);
                // ADD COLUMN: NOT NULL with a default, placed; then values of its own
                issued = MariaDb.query(MariaDb.SOURCE_PORT, "SELECT NOW(3)").get(0);
                atSource(
                        db,
                        "ALTER TABLE orders ADD COLUMN extra INT NOT NULL DEFAULT 7 AFTER user_id");
                if (delivery.equals("exactly-once")) {
                    awaitFirstShardAt(db, "ADD COLUMN extra");
                    cluster.terminateTaskManager(0).get();
                    cluster.startTaskManager();
                }
                atSource(
                        db, "UPDATE orders SET extra = id, version = version + 1 WHERE id % 5 = 0");
                // ADD INDEX, widening MODIFY, a NOT NULL column added then dropped
                atSource(
                        db,
                        "CREATE INDEX by_extra ON orders (extra)",
                        "ALTER TABLE orders MODIFY note VARCHAR(300) CHARACTER SET utf8mb4",
                        "ALTER TABLE orders ADD COLUMN pad CHAR(10) NOT NULL DEFAULT 'pad'");
                atSource(db, "UPDATE orders SET pad = 'x', version = version + 1 WHERE id % 7 = 0");
                atSource(db, "ALTER TABLE orders DROP COLUMN pad");
                // RENAME COLUMN and CHANGE (a rename with a new type), with values in between
                atSource(db, "ALTER TABLE orders ADD COLUMN tag VARCHAR(10)");
                atSource(db, "UPDATE orders SET tag = 'a', version = version + 1 WHERE id % 3 = 0");
                atSource(db, "ALTER TABLE orders RENAME COLUMN tag TO label");
                atSource(
                        db,
                        "UPDATE orders SET label = 'b', version = version + 1 WHERE id % 4 = 0");
                atSource(db, "ALTER TABLE orders CHANGE label title VARCHAR(40) NULL");
                atSource(
                        db,
                        "UPDATE orders SET title = 'c', version = version + 1 WHERE id % 6 = 0");
                // DROP INDEX
                atSource(db, "DROP INDEX by_extra ON orders");
                // TRUNCATE, then rows anew, some with keys and versions the table had before
                atSource(
                        db,
                        "TRUNCATE TABLE orders",
                        "INSERT INTO orders (id, user_id, note, amount, version, updated_at)"
                                + " SELECT seq, seq % 97, 'after truncate', 1, 1, NOW(6)"
                                + " FROM seq_1_to_500");
                Thread.sleep(3_000);
            }
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
            for (int port : MariaDb.SHARD_PORTS) {
                // measured, not asserted: from the statement at the source to done on the shard
                LOG.info(
                        "{}: ADD COLUMN done on shard {} {} ms after it was issued at the source",
                        delivery,
                        port,
                        MariaDb.query(
                                port,
                                "SELECT TIMESTAMPDIFF(MICROSECOND, '"
                                        + issued
                                        + "', changed_at) DIV 1000 FROM shardsync.schema_changes"
                                        + " WHERE table_name = '"
                                        + db
                                        + ".orders' AND statement LIKE '%ADD COLUMN extra%'"));
                assertEquals(indexes(MariaDb.SOURCE_PORT, db), indexes(port, db));
                assertEquals(
                        List.of(
                                "id",
                                "user_id",
                                "extra",
                                "note",
                                "amount",
                                "version",
                                "updated_at",
                                "title"),
                        MariaDb.query(
                                port,
                                "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE"
                                        + " TABLE_SCHEMA = '"
                                        + db
                                        + "' AND TABLE_NAME = 'orders' ORDER BY ORDINAL_POSITION"));
            }
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void anOnlineSchemaChangeThenADropAndACreateReachEveryShard() throws Exception {
        String db = MariaDb.createDatabase("evolveosc");
        ChangeGenerator.createOrders(db, 3_000);
        JobClient job =
                SyncJobs.start(SyncJobs.ordersJob("exactly-once", 2, db), checkpoints, null);
        try {
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(60_000));
            try (ChangeGenerator generator = ChangeGenerator.start(db, 3_001, 2)) {
                Thread.sleep(2_000);
                // pt-online-schema-change: a shadow table _orders_new altered, filled by triggers
                // and a copy, swapped in by one RENAME TABLE
                Process osc =
                        new ProcessBuilder(
                                        "pt-online-schema-change",
                                        "--recursion-method=none",
                                        "--alter",
                                        "ADD COLUMN extra INT NOT NULL DEFAULT 7",
                                        "--execute",
                                        "h=127.0.0.1,P="
                                                + MariaDb.SOURCE_PORT
                                                + ",u=shardsync_admin,p="
                                                + MariaDb.adminPassword()
                                                + ",D="
                                                + db
                                                + ",t=orders")
                                .redirectErrorStream(true)
                                .start();
                String output = new String(osc.getInputStream().readAllBytes());
                assertEquals(0, osc.waitFor(), output);
                atSource(
                        db, "UPDATE orders SET extra = id, version = version + 1 WHERE id % 5 = 0");
            }
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
            atSource(
                    db,
                    "DROP TABLE orders",
                    String.format(ChangeGenerator.ORDERS_DDL, db)
                            .replace("version BIGINT", "flag INT DEFAULT 1, version BIGINT"),
                    "INSERT INTO orders (id, user_id, note, version) SELECT seq, seq % 97, 'again',"
                            + " 1 FROM seq_1_to_300");
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void aJobResumedBeforeStatementsInTheBinlogFollowsThem() throws Exception {
        String db = MariaDb.createDatabase("evolveresume");
        ChangeGenerator.createOrders(db, 2_000);
        JobConfig config = SyncJobs.ordersJob("exactly-once", 2, db);
        JobClient first = SyncJobs.start(config, checkpoints, null);
        assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(60_000));
        try (ChangeGenerator generator = ChangeGenerator.start(db, 2_001, 2)) {
            Thread.sleep(8_000);
            SyncJobs.cancel(first);
            // while no job runs: statements, and changes in their terms
            atSource(db, "ALTER TABLE orders ADD COLUMN extra INT NOT NULL DEFAULT 7");
            atSource(db, "UPDATE orders SET extra = id, version = version + 1 WHERE id % 5 = 0");
        }
        atSource(
                db,
                "ALTER TABLE orders DROP COLUMN updated_at",
                "UPDATE orders SET note = 'after', version = version + 1 WHERE id % 3 = 0",
                "DELETE FROM orders WHERE id % 11 = 0");
        JobClient second =
                SyncJobs.start(config, checkpoints, SyncJobs.latestCheckpoint(checkpoints, first));
        try {
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
        } finally {
            SyncJobs.cancel(second);
        }
    }
}

package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.JobConfig;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.RegressionWatch;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failure injection while changes flow: after recovery the shards hold exactly the source's rows
 * (none missing, extra or duplicated), and a reader of the shards never saw a row go back to an
 * older version.
 */
class RecoveryITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path checkpoints;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exactly-once", "idempotent"})
    void taskManagerLossMidStream(String delivery, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String db = MariaDb.createDatabase("tmloss");
        ChangeGenerator.createOrders(db, 10_000);
        JobClient job = SyncJobs.start(SyncJobs.ordersJob(delivery, 2, db), checkpoints, null);
        try (RegressionWatch watch = RegressionWatch.start(db)) {
            try (ChangeGenerator generator = ChangeGenerator.start(db, 10_001, 2)) {
                Thread.sleep(8_000);
                cluster.terminateTaskManager(0).get();
                cluster.startTaskManager();
                Thread.sleep(8_000);
            }
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
            assertEquals(List.of(), watch.stop());
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exactly-once", "idempotent"})
    void cancelThenRestoreFromRetainedCheckpoint(String delivery) throws Exception {
        String db = MariaDb.createDatabase("restore");
        ChangeGenerator.createOrders(db, 10_000);
        JobConfig config = SyncJobs.ordersJob(delivery, 2, db);
        try (RegressionWatch watch = RegressionWatch.start(db);
                ChangeGenerator generator = ChangeGenerator.start(db, 10_001, 2)) {
            JobClient first = SyncJobs.start(config, checkpoints, null);
            Thread.sleep(10_000);
            SyncJobs.cancel(first);
            Thread.sleep(3_000); // changes keep coming while no job runs
            JobClient second =
                    SyncJobs.start(
                            config, checkpoints, SyncJobs.latestCheckpoint(checkpoints, first));
            try {
                Thread.sleep(5_000);
                generator.close();
                assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
                assertEquals(List.of(), watch.stop());
            } finally {
                SyncJobs.cancel(second);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exactly-once", "idempotent"})
    void aShardDownForThirtySecondsIsReportedAndLosesNothing(String delivery) throws Exception {
        String db = MariaDb.createDatabase("outage");
        ChangeGenerator.createOrders(db, 5_000);
        String control = "ctl_" + db;
        JobConfig config =
                SyncJobs.parse(
                        MariaDb.config(delivery, 2, ChangeGenerator.ordersConfig(db))
                                        .replace("sink:\n", "sink:\n  unreachableAfter: 5s\n")
                                + MariaDb.controlDatabase(control));
        JobClient job = SyncJobs.start(config, checkpoints, null);
        try {
            try (ChangeGenerator generator = ChangeGenerator.start(db, 5_001, 2)) {
                Thread.sleep(5_000);
                MariaDb.shutdown(MariaDb.SHARD_PORTS.get(1));
                Thread.sleep(30_000);
                MariaDb.startStopped();
                Thread.sleep(5_000);
            }
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(180_000));
            Thread.sleep(3_000); // the checkpoint after the outage carries its report
            List<String> outages =
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT DISTINCT shard FROM "
                                    + control
                                    + ".sync_conflicts WHERE kind = 'SHARD_UNREACHABLE'");
            assertEquals(List.of("shard-1"), outages);
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exactly-once", "idempotent"})
    void taskManagerLossDuringTheInitialSnapshot(
            String delivery, @InjectMiniCluster MiniCluster cluster) throws Exception {
        String db = MariaDb.createDatabase("snaploss");
        ChangeGenerator.createOrders(db, 40_000);
        // Parallelism 1: a restored multi-reader snapshot can stall (apache/flink-cdc issue 4139).
        JobClient job = SyncJobs.start(SyncJobs.ordersJob(delivery, 1, db), checkpoints, null);
        try (ChangeGenerator generator = ChangeGenerator.start(db, 40_001, 1)) {
            Thread.sleep(4_000);
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();
            Thread.sleep(6_000);
        }
        try {
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(180_000));
        } finally {
            SyncJobs.cancel(job);
        }
    }
}

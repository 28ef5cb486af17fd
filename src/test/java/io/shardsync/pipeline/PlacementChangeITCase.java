package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint restored with another placement (here a third shard added to {@code shards:} outside
 * a reshard) would re-route rows that sit on their old shards: the restore is refused, once, with a
 * message naming the change, and the job fails for good instead of restarting in a loop.
 */
class PlacementChangeITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path dir;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void aShardAddedAcrossASavepointIsRefused() throws Exception {
        String db = MariaDb.createDatabase("placement");
        ChangeGenerator.createOrders(db, 1_000);
        JobClient job = SyncJobs.start(SyncJobs.ordersJob("exactly-once", 2, db), dir, null);
        assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
        String savepoint =
                job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();

        List<Integer> threeShards =
                List.of(
                        MariaDb.SHARD_PORTS.get(0),
                        MariaDb.SHARD_PORTS.get(1),
                        MariaDb.NEW_SHARD_PORTS.get(0));
        String yaml =
                MariaDb.config("exactly-once", 2, ChangeGenerator.ordersConfig(db))
                        .replace(MariaDb.shards(MariaDb.SHARD_PORTS), MariaDb.shards(threeShards));
        JobClient restored = SyncJobs.start(SyncJobs.parse(yaml), dir, savepoint);
        ExecutionException failure =
                assertThrows(
                        ExecutionException.class,
                        () -> restored.getJobExecutionResult().get(60, TimeUnit.SECONDS));
        assertEquals(JobStatus.FAILED, restored.getJobStatus().get());
        assertTrue(
                ExceptionUtils.findThrowableWithMessage(
                                failure,
                                "shards: [shard-0, shard-1] in the restored state,"
                                        + " [shard-0, shard-1, shard-2] in this config")
                        .isPresent(),
                () -> ExceptionUtils.stringifyException(failure));
        // nothing was re-routed: the new shard got no row, the old ones still hold the source
        assertEquals(
                List.of("0"),
                MariaDb.query(
                        MariaDb.NEW_SHARD_PORTS.get(0), "SELECT COUNT(*) FROM " + db + ".orders"));
        assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(10_000));
    }
}

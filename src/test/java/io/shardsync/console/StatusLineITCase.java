package io.shardsync.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.model.ConflictKind;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.SyncJobs;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The status line of a running job says what it did: rows, conflicts, checkpoints, lag. */
class StatusLineITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path checkpoints;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void showsTheSnapshotTheConflictsAndTheLastCheckpoint(@InjectClusterRESTAddress URI rest)
            throws Exception {
        String db = MariaDb.createDatabase("status");
        ChangeGenerator.createOrders(db, 300);
        for (int port : MariaDb.SHARD_PORTS) { // a shard-side CHECK makes one change a conflict
            MariaDb.execute(
                    port,
                    "CREATE DATABASE " + db,
                    String.format(ChangeGenerator.ORDERS_DDL, db),
                    "ALTER TABLE " + db + ".orders ADD CONSTRAINT small CHECK (amount < 1000)");
        }
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(
                                MariaDb.config(
                                        "exactly-once", 2, ChangeGenerator.ordersConfig(db))),
                        checkpoints,
                        null);
        try {
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(60_000));
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "INSERT INTO "
                            + db
                            + ".orders VALUES (1001, 1, 'too big', 5000, 1, NOW(6)),"
                            + " (1002, 2, 'fine', 5, 1, NOW(6))");
            StatusLine status = awaitRejection(new StatusPoller(rest, job.getJobID()));

            assertEquals(Map.of(db + "_orders", 300L), status.snapshotRows());
            Map<ConflictKind, Long> conflicts = new EnumMap<>(ConflictKind.class);
            for (ConflictKind kind : ConflictKind.values()) {
                conflicts.put(kind, kind == ConflictKind.TARGET_REJECTED ? 1L : 0L);
            }
            assertEquals(conflicts, status.conflicts());
            assertTrue(status.sourceLagMs() >= 0, "the binlog changes have a lag");
            assertTrue(status.appliedPerSecond() > 0, "302 changes in the last minute");
            assertTrue(status.lastCheckpoint().id() >= 1);
            assertTrue(status.lastCheckpoint().sizeBytes() > 0);
            String line = status.format();
            assertTrue(line.startsWith("snapshot " + db + "_orders 300 rows | binlog lag "), line);
            assertTrue(line.contains(" | conflicts TARGET_REJECTED 1 | checkpoint #"), line);
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /** Reads the status until the rejected row is counted and a checkpoint has completed. */
    private static StatusLine awaitRejection(StatusPoller poller) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        StatusLine status = poller.read();
        while (System.currentTimeMillis() < deadline
                && (status.conflicts().get(ConflictKind.TARGET_REJECTED) == 0
                        || status.lastCheckpoint() == null)) {
            Thread.sleep(500);
            status = poller.read();
        }
        return status;
    }
}

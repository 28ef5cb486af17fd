package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.JobMetrics;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two source servers holding versions of the same rows, merged into the shards by version: the
 * shards end at the newest version of each row, and the conflicts table holds exactly the stale and
 * same-version-different changes.
 */
class MultiSourceITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();
    private static final int A = MariaDb.SOURCE_PORT;
    private static final int B = MariaDb.SECOND_SOURCE_PORT;

    @TempDir Path checkpoints;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void twoSourcesMergeByVersionAndReportExactlyTheirConflicts(@InjectClusterRESTAddress URI rest)
            throws Exception {
        String db = MariaDb.createDatabase("multi");
        ChangeGenerator.createOrders(db, 300);
        MariaDb.execute(B, "CREATE DATABASE " + db, String.format(ChangeGenerator.ORDERS_DDL, db));
        String control = "ctl_" + db;
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(
                                MariaDb.config(
                                                List.of(A, B),
                                                "exactly-once",
                                                2,
                                                ChangeGenerator.ordersConfig(db))
                                        + MariaDb.controlDatabase(control)
                                        + "outOfOrderness: 10s\n"),
                        checkpoints,
                        null);
        ShardedTable orders = ChangeGenerator.shardedOrders(db);
        try {
            assertEquals(List.of(), orders.awaitEqual(60_000)); // snapshot of A

            // Ids 1-100: B writes version 3; once it is applied, A's version 2 is stale.
            copyFromA(db, 1, 100, "3", "'b3'");
            assertEquals(List.of(), orders.awaitEqual(60_000, () -> merged(orders)));
            MariaDb.execute(A, update(db, 1, 100, 2, "'a2'"));
            // Ids 101-150: A writes version 5; then B the same version with other data.
            // Ids 151-200: B then writes exactly A's row: a duplicate, dropped silently.
            MariaDb.execute(A, update(db, 101, 200, 5, "'a5'"));
            assertEquals(List.of(), orders.awaitEqual(60_000, () -> merged(orders)));
            copyFromA(db, 101, 150, "5", "'b5'");
            copyFromA(db, 151, 200, "version", "note");
            // Ids 201-300: both write interleaved versions at once; B's 7 is the newest.
            Thread a = new Thread(() -> versions(A, db, 2, 4, 6));
            a.start();
            copyFromA(db, 201, 300, "3", "'b3'");
            versions(B, db, 5, 7);
            a.join();

            assertEquals(List.of(), orders.awaitEqual(60_000, () -> merged(orders)));
            Thread.sleep(3_000); // a checkpoint after the last conflict
            assertEquals(
                    List.of("SAME_VERSION_DIFFERENT_DATA|50|101|150", "STALE_VERSION|100|1|100"),
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT kind, COUNT(DISTINCT row_key), MIN(row_key + 0),"
                                    + " MAX(row_key + 0) FROM "
                                    + control
                                    + ".sync_conflicts WHERE row_key + 0 <= 200"
                                    + " GROUP BY kind ORDER BY kind"));
            assertEquals(
                    List.of("0"),
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT COUNT(*) - COUNT(DISTINCT source_id, row_key, incoming_version)"
                                    + " FROM "
                                    + control
                                    + ".sync_conflicts"));
            // Interleaved: only older versions can lose, and they are reported as stale.
            assertEquals(
                    List.of(),
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT kind, incoming_version FROM "
                                    + control
                                    + ".sync_conflicts WHERE row_key + 0 > 200"
                                    + " AND (kind <> 'STALE_VERSION'"
                                    + " OR incoming_version + 0 >= 7)"));

            // The web UI's counters say the same: 1300 changes read from the two binlogs and
            // snapshots, each applied, a duplicate or a conflict.
            long stale =
                    Long.parseLong(
                            MariaDb.query(
                                            MariaDb.SHARD_PORTS.get(0),
                                            "SELECT COUNT(*) FROM "
                                                    + control
                                                    + ".sync_conflicts WHERE kind = 'STALE_VERSION'")
                                    .get(0));
            JobMetrics metrics = new JobMetrics(rest, job.getJobID());
            String merge = "Version merge";
            String table = ".shardsync.table." + db + "_orders."; // the web UI writes . as _
            assertEquals(stale, metrics.await(merge, ".shardsync.staleChanges", stale, 30_000));
            assertEquals(stale, metrics.await(merge, table + "staleChanges", stale, 30_000));
            assertEquals(50, metrics.await(merge, ".shardsync.sameVersionConflicts", 50, 30_000));
            assertEquals(50, metrics.await(merge, ".shardsync.duplicateChanges", 50, 30_000));
            long applied = 1300 - stale - 50 - 50;
            assertEquals(applied, metrics.await(merge, table + "appliedChanges", applied, 30_000));
            // ... and so does the Prometheus reporter of flink-conf/config.yaml, table by table.
            List<String> scraped =
                    JobMetrics.prometheus(
                            "flink_taskmanager_job_task_operator_shardsync_table_staleChanges");
            assertEquals(
                    stale,
                    (long)
                            scraped.stream()
                                    .filter(line -> line.contains("table=\"" + db + "_orders\""))
                                    .mapToDouble(
                                            line ->
                                                    Double.parseDouble(
                                                            line.substring(
                                                                    line.lastIndexOf(' ') + 1)))
                                    .sum(),
                    scraped.toString());
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /** The newest version of each row over both sources; on a tie, the one written first (A). */
    private static Map<String, Map<String, String>> merged(ShardedTable orders)
            throws SQLException, IOException {
        Map<String, Map<String, String>> rows = new TreeMap<>(orders.rows(A));
        orders.rows(B)
                .forEach(
                        (key, row) ->
                                rows.merge(key, row, (a, b) -> version(b) > version(a) ? b : a));
        return rows;
    }

    private static long version(Map<String, String> row) {
        return Long.parseLong(ShardedTable.text(row, "version"));
    }

    /** Inserts A's rows of ids [from, to] at B, with the given version and note expressions. */
    private static void copyFromA(String db, int from, int to, String version, String note)
            throws Exception {
        refreshSnapshotOfA(db);
        MariaDb.execute(
                B,
                "INSERT INTO "
                        + db
                        + ".orders SELECT id, user_id, "
                        + note
                        + ", amount, "
                        + version
                        + ", updated_at FROM "
                        + db
                        + ".orders_a WHERE id BETWEEN "
                        + from
                        + " AND "
                        + to);
    }

    private static String update(String db, int from, int to, int version, String note) {
        return "UPDATE "
                + db
                + ".orders SET version = "
                + version
                + ", note = "
                + note
                + " WHERE id BETWEEN "
                + from
                + " AND "
                + to;
    }

    /**
     * B's copy of A's rows ({@code orders_a}, not synced): the servers are separate, so rows move
     * between them through the test.
     */
    private static void refreshSnapshotOfA(String db) throws Exception {
        StringBuilder insert = new StringBuilder("INSERT INTO " + db + ".orders_a VALUES ");
        List<String> rows =
                MariaDb.query(
                        A,
                        "SELECT id, user_id, QUOTE(note), amount, version, QUOTE(updated_at) FROM "
                                + db
                                + ".orders");
        for (int i = 0; i < rows.size(); i++) {
            insert.append(i == 0 ? "(" : ", (").append(rows.get(i).replace('|', ',')).append(')');
        }
        MariaDb.execute(
                B,
                "DROP TABLE IF EXISTS " + db + ".orders_a",
                "CREATE TABLE " + db + ".orders_a LIKE " + db + ".orders",
                insert.toString());
    }

    private static void versions(int port, String db, int... versions) {
        try {
            for (int version : versions) {
                MariaDb.execute(port, update(db, 201, 300, version, "'v" + version + "'"));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

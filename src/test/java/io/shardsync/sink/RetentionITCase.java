package io.shardsync.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.ControlDatabaseConfig;
import io.shardsync.config.Secret;
import io.shardsync.config.ShardConfig;
import io.shardsync.testing.MariaDb;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention of the job's bookkeeping on real MariaDB: the shards' commits, rejected changes and
 * tombstones, and the control database's conflicts, latency samples and batch ids.
 */
class RetentionITCase {
    private static final int PORT = MariaDb.SHARD_PORTS.get(0);
    private static final Secret WRITER =
            new Secret(null, MariaDb.SECRETS.resolve("shardsync_writer.password").toString());
    private static final ShardConfig SHARD =
            new ShardConfig(
                    "shard-0",
                    "jdbc:mariadb://127.0.0.1:" + PORT + "/",
                    "shardsync_writer",
                    WRITER);

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
        MariaDb.execute(PORT, ControlTables.CREATE);
    }

    /** A tombstone's row hash for a row key, as SQL. */
    private static String hash(String rowKey) {
        return "UNHEX(SHA2('" + rowKey + "', 256))";
    }

    private static long count(String table, String condition) throws Exception {
        return Long.parseLong(
                MariaDb.query(PORT, "SELECT COUNT(*) FROM " + table + " WHERE " + condition)
                        .get(0));
    }

    @Test
    void shardsForgetCommitsRejectionsAndTombstonesPastRetention() throws Exception {
        String old = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        String twoDaysAgo = "NOW(3) - INTERVAL 2 DAY";
        for (String[] txn : new String[][] {{old, twoDaysAgo}, {fresh, "NOW(3)"}}) {
            MariaDb.execute(
                    PORT,
                    "INSERT INTO shardsync.commits VALUES ('" + txn[0] + "', " + txn[1] + ")",
                    "INSERT INTO shardsync.row_tombstones VALUES ("
                            + hash(txn[0])
                            + ", 'db.t', 'source-1', UNHEX(REPEAT('00', 28)), "
                            + txn[1]
                            + ")",
                    "INSERT INTO shardsync.rejected_changes (txn_id, table_name, row_key, op,"
                            + " version, error, rejected_at) VALUES ('"
                            + txn[0]
                            + "', 'db.t', '1', 'INSERT', '1', 'too long', "
                            + txn[1]
                            + ")");
        }
        String both = "'" + old + "', '" + fresh + "'";
        ShardCommits commits =
                new ShardCommits(
                        new ShardConnection(SHARD, Long.MAX_VALUE, e -> {}),
                        new ShardStatements(List.of(), false, 1),
                        new ShardDdl("shard"),
                        Duration.ofDays(1),
                        Duration.ofDays(1));

        commits.cleanUpIfDue();
        assertEquals(1, count("shardsync.commits", "txn_id IN (" + both + ")"));
        assertEquals(1, count("shardsync.commits", "txn_id = '" + fresh + "'"));
        assertEquals(1, count("shardsync.rejected_changes", "txn_id IN (" + both + ")"));
        assertEquals(1, count("shardsync.rejected_changes", "txn_id = '" + fresh + "'"));
        assertEquals(
                1,
                count(
                        "shardsync.row_tombstones",
                        "row_hash IN (" + hash(old) + ", " + hash(fresh) + ")"));
        assertEquals(1, count("shardsync.row_tombstones", "row_hash = " + hash(fresh)));

        // the next purge is due only after Retention.EVERY
        MariaDb.execute(
                PORT, "INSERT INTO shardsync.commits VALUES ('" + old + "', " + twoDaysAgo + ")");
        commits.cleanUpIfDue();
        assertEquals(1, count("shardsync.commits", "txn_id = '" + old + "'"));
        MariaDb.execute(PORT, "DELETE FROM shardsync.commits WHERE txn_id IN (" + both + ")");
    }

    @Test
    void theControlDatabaseForgetsRecordsAndBatchesPastRetention() throws Exception {
        String db = "retention_" + Integer.toHexString(UUID.randomUUID().hashCode() & 0xffffff);
        ControlDatabaseConfig control =
                new ControlDatabaseConfig(
                        SHARD.url(),
                        SHARD.user(),
                        WRITER,
                        db,
                        Duration.ofDays(30),
                        Duration.ofDays(7),
                        Duration.ofDays(1));
        ControlTableSink.prepare(control, List.of(new ConflictFormat(), new LatencyFormat()));
        long day = Duration.ofDays(1).toMillis();
        long now = System.currentTimeMillis();
        String latency =
                "INSERT INTO %s.sync_latency (table_name, shard, row_key, op, version,"
                        + " source_time_ms, read_time_ms, committed_at_ms, latency_ms)"
                        + " SELECT 'db.t', 'shard-0', seq, 'INSERT', '1', 0, 0, %d, 0 FROM seq_1_to_%d";
        String conflict =
                "INSERT INTO %s.sync_conflicts (kind, applied, detected_at_ms) VALUES ('STALE', 0, %d)";
        MariaDb.execute(
                PORT,
                "USE " + db,
                // more than one purge batch of old samples
                String.format(latency, db, now - 8 * day, Retention.BATCH + 1),
                String.format(latency, db, now - 6 * day, 3),
                String.format(conflict, db, now - 31 * day),
                String.format(conflict, db, now - 29 * day),
                "INSERT INTO " + db + ".sync_commits VALUES ('old', NOW(3) - INTERVAL 2 DAY)",
                "INSERT INTO " + db + ".sync_commits VALUES ('fresh', NOW(3))");

        try (ShardConnection connection =
                new ShardConnection(control.server(), Long.MAX_VALUE, e -> {})) {
            ControlTableSink.purge(connection, control, new LatencyFormat());
            ControlTableSink.purge(connection, control, new ConflictFormat());
        }

        assertEquals(
                List.of("3"), MariaDb.query(PORT, "SELECT COUNT(*) FROM " + db + ".sync_latency"));
        assertEquals(
                List.of(String.valueOf(now - 29 * day)),
                MariaDb.query(PORT, "SELECT detected_at_ms FROM " + db + ".sync_conflicts"));
        assertEquals(
                List.of("fresh"),
                MariaDb.query(PORT, "SELECT batch_id FROM " + db + ".sync_commits"));
        MariaDb.execute(PORT, "DROP DATABASE " + db);
    }
}

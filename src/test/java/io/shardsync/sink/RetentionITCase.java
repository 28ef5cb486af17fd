package io.shardsync.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.Secret;
import io.shardsync.config.ShardConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.jdbc.RetryingConnection;
import io.shardsync.testing.MariaDb;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention of the shards' bookkeeping on real MariaDB: commits, rejected changes and tombstones.
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
                        new RetryingConnection(
                                "shard", () -> Connections.shard(SHARD), Long.MAX_VALUE, e -> {}),
                        new ShardStatements(List.of(), 0, false, 1),
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
}

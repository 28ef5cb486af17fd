package io.shardsync.sink.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.ControlDatabaseConfig;
import io.shardsync.config.Secret;
import io.shardsync.jdbc.Connections;
import io.shardsync.jdbc.Retention;
import io.shardsync.jdbc.RetryingConnection;
import io.shardsync.testing.MariaDb;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retention of the control database's records on real MariaDB: conflicts, latency, batch ids. */
class ControlRetentionITCase {
    private static final int PORT = MariaDb.SHARD_PORTS.get(0);
    private static final Secret WRITER =
            new Secret(null, MariaDb.SECRETS.resolve("shardsync_writer.password").toString());

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void theControlDatabaseForgetsRecordsAndBatchesPastRetention() throws Exception {
        String db = "retention_" + Integer.toHexString(UUID.randomUUID().hashCode() & 0xffffff);
        ControlDatabaseConfig control =
                new ControlDatabaseConfig(
                        "jdbc:mariadb://127.0.0.1:" + PORT + "/",
                        "shardsync_writer",
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

        try (RetryingConnection connection =
                new RetryingConnection(
                        "control", () -> Connections.control(control), Long.MAX_VALUE, e -> {})) {
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

package io.shardsync.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.DeliveryMode;
import io.shardsync.config.Secret;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.ShardRule;
import io.shardsync.config.SinkConfig;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import io.shardsync.model.SyncTable;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.Tables;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shard sink's restart, in an operator harness writing to a real MariaDB shard. Exactly-once:
 * the transactions pending in the restored checkpoint commit, in checkpoint order, before anything
 * written after the restore; and a second restore from the same checkpoint commits none of them
 * again (the shard would go back to an older value). Idempotent: a restarted sink that reads again
 * an insert of a row deleted since does not bring the row back.
 */
class ShardSinkRestoreITCase {
    private static final int PORT = MariaDb.SHARD_PORTS.get(0);
    private static final ShardConfig SHARD =
            new ShardConfig(
                    "shard-0",
                    "jdbc:mariadb://127.0.0.1:" + PORT + "/",
                    "shardsync_writer",
                    new Secret(
                            null, MariaDb.SECRETS.resolve("shardsync_writer.password").toString()));
    private static final String DB =
            "sink_restore_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    private static final SyncTable TABLE =
            Tables.keyedByFirstColumn(
                    DB,
                    "t",
                    List.of(
                            new Column("id", "bigint", "bigint", false, null, false),
                            new Column(
                                    "value", "varchar", "varchar(20)", true, "utf8mb4_bin", false)),
                    -1,
                    ShardRule.MOD);

    /** The table of the idempotent test: that mode guards writes by a version column. */
    private static final SyncTable VERSIONED =
            Tables.versioned(
                    DB,
                    "v",
                    List.of(
                            new Column("id", "bigint", "bigint", false, null, false),
                            new Column(
                                    "value", "varchar", "varchar(20)", true, "utf8mb4_bin", false),
                            new Column("version", "bigint", "bigint", false, null, false)),
                    -1,
                    ShardRule.MOD,
                    2);

    private long position;

    @BeforeAll
    static void createShardTable() throws Exception {
        MariaDb.start();
        MariaDb.execute(PORT, ControlTables.CREATE);
        MariaDb.execute(
                PORT,
                "CREATE DATABASE " + DB,
                "CREATE TABLE " + DB + ".t (id BIGINT PRIMARY KEY, value VARCHAR(20))",
                "CREATE TABLE "
                        + DB
                        + ".v (id BIGINT PRIMARY KEY, value VARCHAR(20), version BIGINT NOT NULL)");
    }

    private OneInputStreamOperatorTestHarness<ChangeEvent, Void> sink(OperatorSubtaskState restored)
            throws Exception {
        return sink(DeliveryMode.EXACTLY_ONCE, TABLE, restored);
    }

    private OneInputStreamOperatorTestHarness<ChangeEvent, Void> sink(
            DeliveryMode delivery, SyncTable table, OperatorSubtaskState restored)
            throws Exception {
        OneInputStreamOperatorTestHarness<ChangeEvent, Void> harness =
                new OneInputStreamOperatorTestHarness<>(
                        new ShardSinkOperator(
                                SHARD,
                                0,
                                List.of(table),
                                delivery,
                                new SinkConfig(
                                        100,
                                        Duration.ofMillis(200),
                                        Duration.ofDays(1),
                                        Duration.ofMinutes(1)),
                                Duration.ofDays(1),
                                1_000));
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
        return harness;
    }

    /** An update of row 1 of t to {@code value} (an insert the first time). */
    private ChangeEvent write(String value) {
        position += 100;
        return change("t", position == 100 ? Op.INSERT : Op.UPDATE, 0, position, "1", value);
    }

    /**
     * A change of a row of {@code table}, its image key first, at a version and binlog position.
     */
    private static ChangeEvent change(String table, Op op, long version, long at, String... image) {
        ChangeEvent e = new ChangeEvent();
        e.sourceId = "source-1";
        e.database = DB;
        e.table = table;
        e.op = op;
        e.key = new String[] {image[0]};
        e.before = op == Op.DELETE ? image : null;
        e.after = op == Op.DELETE ? null : image;
        e.version = new RowVersion(version, 1, at, 0);
        e.binlogFile = "binlog.000001";
        e.sourceTimeMs = System.currentTimeMillis();
        e.readTimeMs = e.sourceTimeMs;
        return e;
    }

    private static List<String> row() throws Exception {
        return MariaDb.query(PORT, "SELECT value FROM " + DB + ".t WHERE id = 1");
    }

    private static List<String> versionedRow(long id) throws Exception {
        return MariaDb.query(PORT, "SELECT value FROM " + DB + ".v WHERE id = " + id);
    }

    @Test
    void anIdempotentSinkNeverWritesBackARowDeletedLaterNotEvenAfterARestart() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, Void> sink =
                sink(DeliveryMode.IDEMPOTENT, VERSIONED, null)) {
            sink.processElement(new StreamRecord<>(change("v", Op.INSERT, 1, 100, "2", "a", "1")));
            sink.prepareSnapshotPreBarrier(1);
            assertEquals(List.of("a"), versionedRow(2));
            sink.processElement(new StreamRecord<>(change("v", Op.DELETE, 1, 300, "2", "a", "1")));
            sink.prepareSnapshotPreBarrier(2);
            sink.processElement(new StreamRecord<>(change("v", Op.INSERT, 1, 100, "2", "a", "1")));
            sink.prepareSnapshotPreBarrier(3);
            assertEquals(List.of(), versionedRow(2), "the same sink replays the insert");
        }
        // a restart reads the binlog again from before the delete
        try (OneInputStreamOperatorTestHarness<ChangeEvent, Void> restarted =
                sink(DeliveryMode.IDEMPOTENT, VERSIONED, null)) {
            restarted.processElement(
                    new StreamRecord<>(change("v", Op.INSERT, 1, 100, "2", "a", "1")));
            restarted.processElement(
                    new StreamRecord<>(change("v", Op.INSERT, 1, 200, "3", "b", "1")));
            restarted.prepareSnapshotPreBarrier(1);
            assertEquals(List.of(), versionedRow(2), "a restarted sink replays the insert");
            assertEquals(List.of("b"), versionedRow(3));
        }
    }

    @Test
    void restoredTransactionsCommitInOrderBeforeNewOnesAndOnlyOnce() throws Exception {
        OperatorSubtaskState checkpoint2;
        try (OneInputStreamOperatorTestHarness<ChangeEvent, Void> crashed = sink(null)) {
            crashed.processElement(new StreamRecord<>(write("first")));
            crashed.snapshot(1, 1);
            crashed.processElement(new StreamRecord<>(write("second")));
            checkpoint2 = crashed.snapshot(2, 2);
            // the job fails before it hears that checkpoints 1 and 2 completed
        }
        assertEquals(List.of(), row(), "nothing commits before its checkpoint completed");

        try (OneInputStreamOperatorTestHarness<ChangeEvent, Void> restored = sink(checkpoint2)) {
            // checkpoint 2 is the one restored, so it and checkpoint 1 completed: both commit at
            // once, 1 before 2
            assertEquals(List.of("second"), row());
            restored.processElement(new StreamRecord<>(write("third")));
            restored.snapshot(3, 3);
            assertEquals(List.of("second"), row());
            restored.notifyOfCompletedCheckpoint(3);
            assertEquals(List.of("third"), row());
        }

        // restored from checkpoint 2 once more (checkpoint 3's restart failed): its transactions
        // are recorded as committed on the shard, so the row does not go back to "second"
        try (OneInputStreamOperatorTestHarness<ChangeEvent, Void> again = sink(checkpoint2)) {
            assertEquals(List.of("third"), row());
        }
    }
}

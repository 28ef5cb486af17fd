package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DDL of a synced table at the source never breaks its sync silently: under {@code schemaChanges:
 * fail} the job stops once at the statement, under {@code ignore} the statement is reported, and a
 * change of a key column stops the job in every policy ({@code evolve}: SchemaEvolutionITCase).
 */
class SchemaChangesITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path checkpoints;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    private static String createTable(String db, String table) throws Exception {
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "USE " + db,
                "CREATE TABLE "
                        + table
                        + " (id INT PRIMARY KEY, user_id INT NOT NULL, pad VARCHAR(20) NOT NULL,"
                        + " note VARCHAR(20))",
                "INSERT INTO " + table + " SELECT seq, seq, 'pad', 'first' FROM seq_1_to_100");
        return "  - database: " + db + "\n    table: " + table + "\n    shardKey: user_id\n";
    }

    private static ShardedTable shards(String db, String table) {
        return new ShardedTable(
                db, table, "id", row -> Integer.parseInt(ShardedTable.text(row, "user_id")) % 2);
    }

    /** Waits for the job to end and returns why it failed. */
    private static Throwable failure(JobClient job) throws Exception {
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertEquals(JobStatus.FAILED, job.getJobStatus().get());
            return e;
        }
        throw new AssertionError("the job ended without a failure");
    }

    @Test
    void failStopsTheJobOnceAtAColumnChangeWithWhatToDo() throws Exception {
        String db = MariaDb.createDatabase("ddlfail");
        String tables = createTable(db, "t") + "    schemaChanges: fail\n";
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(MariaDb.config("exactly-once", 2, tables)),
                        checkpoints,
                        null);
        assertEquals(List.of(), shards(db, "t").awaitEqual(60_000));
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "ALTER TABLE " + db + ".t DROP COLUMN pad",
                "UPDATE " + db + ".t SET note = 'after' WHERE id <= 20");
        String message = ExceptionUtils.stringifyException(failure(job));
        assertTrue(
                message.contains(
                        "table "
                                + db
                                + ".t: 'ALTER TABLE "
                                + db
                                + ".t DROP COLUMN pad' at binlog."),
                message);
        assertTrue(message.contains("schemaChanges: fail stops the job here"), message);
        // one failure, no restart loop
        assertTrue(message.contains("SuppressRestartsException"), message);
    }

    @Test
    void ignoreReportsTheChangeAndAnIndexNeverStopsTheJob() throws Exception {
        String db = MariaDb.createDatabase("ddlignore");
        String control = db + "_control";
        String tables =
                createTable(db, "ignored")
                        + "    schemaChanges: ignore\n"
                        + createTable(db, "indexed")
                        + "    schemaChanges: fail\n";
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(
                                MariaDb.config("exactly-once", 2, tables)
                                        + MariaDb.controlDatabase(control)),
                        checkpoints,
                        null);
        try {
            assertEquals(List.of(), shards(db, "indexed").awaitEqual(60_000));
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "USE " + db,
                    "ALTER TABLE ignored ADD COLUMN extra INT NULL",
                    "ALTER TABLE indexed ADD INDEX by_note (note)",
                    "UPDATE indexed SET note = 'after' WHERE id <= 20");
            assertEquals(List.of(), shards(db, "indexed").awaitEqual(60_000));
            Thread.sleep(3_000); // conflicts reach their table with the next checkpoints
            assertEquals(
                    List.of(
                            "SCHEMA_CHANGE_IGNORED|"
                                    + db
                                    + ".ignored|changes its columns from [id, user_id, pad, note]"
                                    + " to [id, user_id, pad, note, extra]",
                            "SCHEMA_CHANGE_IGNORED|"
                                    + db
                                    + ".indexed|leaves its columns as they are"),
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT kind, table_name, error FROM "
                                    + control
                                    + ".sync_conflicts ORDER BY table_name"));
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get());
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void failStopsTheJobAtATruncate() throws Exception {
        String db = MariaDb.createDatabase("ddltruncate");
        String tables = createTable(db, "t") + "    schemaChanges: fail\n";
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(MariaDb.config("exactly-once", 2, tables)),
                        checkpoints,
                        null);
        assertEquals(List.of(), shards(db, "t").awaitEqual(60_000));
        MariaDb.execute(MariaDb.SOURCE_PORT, "TRUNCATE TABLE " + db + ".t");
        String message = ExceptionUtils.stringifyException(failure(job));
        assertTrue(message.contains("TRUNCATE TABLE " + db + ".t' at binlog."), message);
        assertTrue(message.contains("empties the table"), message);
    }

    @Test
    void aKeyColumnChangeStopsTheJobEvenWhenIgnoring() throws Exception {
        String db = MariaDb.createDatabase("ddlkey");
        String tables = createTable(db, "t") + "    schemaChanges: ignore\n";
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(MariaDb.config("exactly-once", 2, tables)),
                        checkpoints,
                        null);
        assertEquals(List.of(), shards(db, "t").awaitEqual(60_000));
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "ALTER TABLE " + db + ".t CHANGE user_id owner_id INT NOT NULL");
        String message = ExceptionUtils.stringifyException(failure(job));
        assertTrue(
                message.contains("drops or renames column 'user_id', which picks its shard"),
                message);
        assertTrue(
                message.contains("cannot follow this change in any schemaChanges policy"), message);
    }
}

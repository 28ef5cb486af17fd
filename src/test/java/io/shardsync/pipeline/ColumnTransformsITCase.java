package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table's {@code columns} on real MariaDB: an excluded column never reaches the shards, a renamed
 * one arrives under its new name, computed ones hold their expression's value, through the snapshot
 * and inserts, updates (also of the columns a computed one reads), moves and deletes, together with
 * a {@code where}; the shards' tables are what a view of those columns at the source holds, and
 * verify, reading the source through the same columns, finds them clean.
 */
class ColumnTransformsITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    private static final String COLUMNS =
            "    columns:\n"
                    + "      exclude: [password_hash]\n"
                    + "      rename: {amount: amount_cny}\n"
                    + "      computed: {amount_cents: 'amount * 100', big: 'amount >= 50',"
                    + " next_version: 'version + 1'}\n";

    @TempDir Path dir;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void theShardsHoldTheTransformedColumns() throws Exception {
        String db = MariaDb.createDatabase("columns");
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "USE " + db,
                "CREATE TABLE accounts (id INT PRIMARY KEY, user_id INT NOT NULL,"
                        + " name VARCHAR(20) CHARACTER SET utf8mb4, password_hash VARBINARY(32),"
                        + " amount DECIMAL(10,2), status VARCHAR(10) NOT NULL,"
                        + " version BIGINT NOT NULL)",
                "INSERT INTO accounts SELECT seq, seq % 7, CONCAT('näme ', seq), UNHEX(MD5(seq)),"
                        + " IF(seq % 9 = 0, NULL, seq * 1.25), IF(seq % 5 = 0, 'draft', 'open'), 1"
                        + " FROM seq_1_to_200",
                // what the shards must hold: the kept rows in the written columns
                "CREATE VIEW accounts_written AS SELECT id, user_id, name, amount AS amount_cny,"
                        + " status, version, amount * 100 AS amount_cents, amount >= 50 AS big,"
                        + " version + 1 AS next_version FROM accounts WHERE status <> 'draft'");
        String yaml =
                MariaDb.config(
                        "exactly-once",
                        2,
                        "  - database: "
                                + db
                                + "\n    table: accounts\n    shardKey: user_id\n"
                                + "    versionColumn: version\n    where: \"status <> 'draft'\"\n"
                                + COLUMNS);
        Path config = Files.writeString(dir.resolve("job.yaml"), yaml);
        JobClient job = SyncJobs.start(SyncJobs.parse(yaml), dir.resolve("checkpoints"), null);
        ShardedTable shards = ShardedTable.byUserInto(db, "accounts_written", "accounts");
        try {
            assertEquals(List.of(), shards.awaitEqual(120_000), "the snapshot");
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "USE " + db,
                    "INSERT INTO accounts SELECT seq, seq % 7, 'new', NULL, seq / 3, 'open', 1"
                            + " FROM seq_201_to_260",
                    "UPDATE accounts SET amount = amount + 40, password_hash = NULL,"
                            + " version = version + 1 WHERE id % 4 = 0",
                    "UPDATE accounts SET user_id = user_id + 1, version = version + 1"
                            + " WHERE id % 6 = 1",
                    "UPDATE accounts SET status = 'open', version = version + 1"
                            + " WHERE status = 'draft' AND id % 2 = 0",
                    "DELETE FROM accounts WHERE id % 11 = 0");
            assertEquals(List.of(), shards.awaitEqual(120_000), "the binlog");
            assertEquals(
                    List.of("0"),
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                                    + db
                                    + "' AND COLUMN_NAME IN ('password_hash', 'amount')"),
                    "the excluded and the renamed column are not on the shards");
            int verified = SyncJobs.verify(config, dir);
            assertEquals(0, verified, "verify is clean");
        } finally {
            SyncJobs.cancel(job);
        }
    }

    @Test
    void aColumnThatPlacesRowsCannotBeLeftOut() throws Exception {
        String db = MariaDb.createDatabase("columns");
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, user_id INT, amount INT)");
        String entry = "  - database: " + db + "\n    table: t\n    shardKey: user_id\n";
        assertEquals(
                "tables[0].columns: 'user_id' is the shard key column; it must be written",
                refused(entry + "    columns: {exclude: [user_id]}\n"));
        assertEquals(
                "tables[0].columns.computed.amount: a second column named 'amount'",
                refused(entry + "    columns: {computed: {amount: 'amount + 1'}}\n"));
        assertEquals(
                "tables[0].columns.computed.x: column 'nope' is not a column of " + db + ".t",
                refused(entry + "    columns: {computed: {x: 'nope + 1'}}\n"));
    }

    private String refused(String entry) throws Exception {
        JobConfig config = SyncJobs.parse(MariaDb.config("exactly-once", 1, entry));
        return assertThrows(
                        ConfigException.class,
                        () -> SyncJobs.start(config, dir.resolve("checkpoints"), null))
                .getMessage();
    }
}

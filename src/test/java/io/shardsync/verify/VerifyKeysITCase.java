package io.shardsync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.testing.MariaDb;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify and repair of tables whose keys JDBC text does not carry exactly (binary, FLOAT) or whose
 * keys compare against text parameters (DECIMAL, large composite BIGINT): tables written by hand on
 * the source and the shards (no job), one row on each side wrong, with chunks split down to one row
 * so every key lands in range conditions, IN lists and repair statements.
 */
class VerifyKeysITCase {
    @TempDir Path dir;

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    /** Row i has shard key s = i: it sits on shard i % 2. */
    private static String tableYaml(String db) {
        return "  - database: " + db + "\n    table: t\n    shardKey: s\n";
    }

    /**
     * Creates {@code t(<keyColumns>, s INT, v VARCHAR(20))} keyed by {@code primaryKey} with one
     * row per key literal, on the source and on its shard; then on the shards row 1 gets another v,
     * row 4 is deleted and row 0 is copied to the wrong shard too. Verify must name exactly these
     * keys (as {@code keyTexts}, in the report's text) and repair must make the shards clean.
     */
    private void verifyAndRepair(
            String keyColumns, String primaryKey, List<String> keys, List<String> keyTexts)
            throws Exception {
        String db = MariaDb.createDatabase("keys");
        String ddl =
                "CREATE TABLE "
                        + db
                        + ".t ("
                        + keyColumns
                        + ", s INT NOT NULL, v VARCHAR(20), PRIMARY KEY ("
                        + primaryKey
                        + "))";
        MariaDb.execute(MariaDb.SOURCE_PORT, ddl);
        for (int shard : MariaDb.SHARD_PORTS) {
            MariaDb.execute(shard, "CREATE DATABASE " + db, ddl);
        }
        for (int i = 0; i < keys.size(); i++) {
            String insert =
                    "INSERT INTO "
                            + db
                            + ".t VALUES ("
                            + keys.get(i)
                            + ", "
                            + i
                            + ", 'row "
                            + i
                            + "')";
            MariaDb.execute(MariaDb.SOURCE_PORT, insert);
            MariaDb.execute(MariaDb.SHARD_PORTS.get(i % 2), insert);
        }
        MariaDb.execute(
                MariaDb.SHARD_PORTS.get(1),
                "UPDATE " + db + ".t SET v = 'wrong' WHERE s = 1",
                "INSERT INTO " + db + ".t VALUES (" + keys.get(0) + ", 0, 'row 0')");
        MariaDb.execute(MariaDb.SHARD_PORTS.get(0), "DELETE FROM " + db + ".t WHERE s = 4");
        String yaml = MariaDb.config("exactly-once", 1, tableYaml(db));
        String[] verify = {
            "--rechecks", "1", "--recheck-delay-ms", "0", "--row-compare-limit", "1"
        };

        String report = BatchRun.run(dir, yaml, verify);
        assertTrue(report.startsWith("1\n"), report);
        assertEquals(
                List.of(
                        "DIFFERENT   key [" + keyTexts.get(1) + "] on [shard-1] columns [v]",
                        "DUPLICATED  key [" + keyTexts.get(0) + "] on [shard-0, shard-1]",
                        "MISSING     key [" + keyTexts.get(4) + "] on [shard-0]"),
                BatchRun.differenceLines(report));
        String repair = BatchRun.run(dir, yaml, "--execute");
        assertTrue(repair.contains("repaired 3 rows, 0 still differ"), repair);
        String clean = BatchRun.run(dir, yaml, verify);
        assertTrue(clean.startsWith("0\n") && clean.contains("CLEAN: 6 rows"), clean);
    }

    @Test
    void binaryUuidKeysRoundTripAsBytes() throws Exception {
        List<String> hex =
                List.of(
                        "00000000000000000000000000000000",
                        "5C2700FF0000000000000000000000C3",
                        "C3A9C3A90000000000000000000000A9",
                        "FFFEFDFC000000000000000000000080",
                        "E29C93000000000000000000000000FF",
                        "7F000000000000000000000000000001");
        verifyAndRepair(
                "id BINARY(16) NOT NULL",
                "id",
                hex.stream().map(h -> "X'" + h + "'").toList(),
                hex);
    }

    @Test
    void floatKeysAreNamedByTheirExactValue() throws Exception {
        verifyAndRepair(
                "id FLOAT NOT NULL",
                "id",
                List.of("0.3", "1.1", "2.5", "7", "123456.789", "1e-30"),
                List.of(
                        "0.30000001192092896",
                        "1.100000023841858",
                        "2.5",
                        "7",
                        "123456.7890625",
                        "1.0000000031710769e-30"));
    }

    @Test
    void decimalKeysBeyondDoublePrecision() throws Exception {
        List<String> keys =
                List.of(
                        "12345678901234567890.0000000001",
                        "12345678901234567890.0000000002",
                        "12345678901234567890.0000000003",
                        "12345678901234567890.0000000004",
                        "12345678901234567890.0000000005",
                        "-12345678901234567890.0000000001");
        verifyAndRepair("id DECIMAL(30,10) NOT NULL", "id", keys, keys);
    }

    @Test
    void compositeBigintKeysBeyondDoublePrecision() throws Exception {
        List<String> keys =
                List.of(
                        "9007199254740993, 18446744073709551615",
                        "9007199254740993, 18446744073709551614",
                        "9007199254740992, 18446744073709551615",
                        "9007199254740994, 18446744073709551613",
                        "9007199254740993, 18446744073709551613",
                        "-9007199254740993, 0");
        verifyAndRepair("a BIGINT NOT NULL, b BIGINT UNSIGNED NOT NULL", "a, b", keys, keys);
    }
}

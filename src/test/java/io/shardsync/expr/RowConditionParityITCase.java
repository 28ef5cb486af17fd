package io.shardsync.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.scan.TableSql;
import io.shardsync.source.InformationSchema;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.Tables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stream keeps a row by the Java evaluation of a table's {@code where}; verify, repair and the
 * reshard copy by MariaDB's. Both must keep the same rows: every condition here is run by MariaDB
 * and by {@link RowCondition} over the rows' canonical text, on rows with NULLs, case, accent and
 * trailing-space variants, signs, fractions and points in time.
 */
class RowConditionParityITCase {
    private static final List<String> CONDITIONS =
            List.of(
                    "status = 'paid'",
                    "status = 'PAID  '",
                    "status <> 'paid'",
                    "status IN ('new', 'Draft')",
                    "status NOT IN ('new', 'draft')",
                    "status NOT IN ('new', NULL)",
                    "status LIKE 'p%'",
                    "status NOT LIKE '%d'",
                    "status LIKE '_aid'",
                    "code = 'ab'",
                    "code LIKE 'A%'",
                    "code LIKE 'a\\\\_%'",
                    "code LIKE 'a!_b' ESCAPE '!'",
                    "code > 'B'",
                    "status IS NULL",
                    "status IS NOT NULL AND amount IS NULL",
                    "amount > 10",
                    "amount BETWEEN -5 AND 10.5",
                    "amount NOT BETWEEN -5 AND 10.5",
                    "amount = '10.50'",
                    "amount * 2 >= 21 OR qty % 3 = 0",
                    "qty DIV 2 = 5",
                    "qty > 18446744073709551610",
                    "-amount > 0",
                    "ratio < 0.5",
                    "created >= '2024-03-01' AND created < '2024-03-02'",
                    "created > '2024-03-01 10:00:00'",
                    "created = '2024-03-01 10:00:00.5'",
                    "day = DATE '2024-02-29'",
                    "day BETWEEN '2024-01-01' AND '2024-12-31'",
                    "NOT (status = 'paid') OR amount IS NULL",
                    "(status = 'paid') XOR (amount > 10)",
                    "(amount > 10) IS NOT TRUE",
                    "status = 'paid' AND (amount > 10 OR qty IS NULL)",
                    "amount / 0 IS NULL",
                    "TRUE",
                    "FALSE OR id = 3");

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void javaKeepsExactlyTheRowsMariaDbKeeps() throws Exception {
        String db = MariaDb.createDatabase("condition");
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "CREATE TABLE "
                        + db
                        + ".t (id INT PRIMARY KEY,"
                        + " status VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,"
                        + " code VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,"
                        + " amount DECIMAL(10,2), qty BIGINT UNSIGNED, ratio DOUBLE,"
                        + " created DATETIME(3), day DATE)",
                "INSERT INTO "
                        + db
                        + ".t VALUES"
                        + " (1, 'paid', 'ab', 10.50, 10, 0.25, '2024-03-01 10:00:00.500', '2024-02-29'),"
                        + " (2, 'PAID', 'Ab', 10.49, 11, 0.5, '2024-03-01 10:00:00', '2024-01-01'),"
                        + " (3, 'Pâid ', 'a_b', -3.00, 18446744073709551615, -1.5,"
                        + " '2024-03-02 00:00:00', '2023-12-31'),"
                        + " (4, 'draft', 'B', NULL, 0, NULL, '2024-02-29 23:59:59.999', NULL),"
                        + " (5, NULL, NULL, 100, NULL, 1e10, NULL, '2024-12-31'),"
                        + " (6, 'new', 'a%b', 0, 3, 0, '2024-03-01 00:00:00', '2024-03-01'),"
                        + " (7, 'Draft', 'c', 21.00, 9, 0.4999, '2023-03-01 10:00:00', '2025-01-01'),"
                        + " (8, '', '', -0.01, 12, -0.0, '2024-03-01 23:59:59', '2024-02-29')");
        List<String[]> images = new ArrayList<>();
        SyncTable table;
        try (Connection c = MariaDb.admin(MariaDb.SOURCE_PORT);
                Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            List<Column> columns = InformationSchema.columns(c, db, "t");
            table = Tables.keyedByFirstColumn(db, "t", columns, -1, ShardRule.MOD);
            TableSql sql = new TableSql(table);
            List<String> select = columns.stream().map(sql::canonical).toList();
            try (ResultSet rs =
                    s.executeQuery("SELECT " + String.join(", ", select) + " FROM " + db + ".t")) {
                while (rs.next()) {
                    String[] image = new String[columns.size()];
                    for (int i = 0; i < image.length; i++) {
                        image[i] = rs.getString(i + 1);
                    }
                    images.add(image);
                }
            }
        }
        List<String> disagreements = new ArrayList<>();
        for (String condition : CONDITIONS) {
            List<String> mariaDb =
                    MariaDb.query(
                            MariaDb.SOURCE_PORT,
                            "SELECT id FROM " + db + ".t WHERE " + condition + " ORDER BY id");
            RowCondition compiled = RowCondition.compile(condition, table);
            List<String> java =
                    images.stream()
                            .filter(image -> compiled.matches(image, null))
                            .map(image -> image[0])
                            .sorted()
                            .toList();
            if (!mariaDb.equals(java)) {
                disagreements.add(condition + ": MariaDB " + mariaDb + ", Java " + java);
            }
        }
        assertEquals(List.of(), disagreements);
    }
}

package io.shardsync.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.testing.Tables;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Row conditions on canonical row images, as MySQL evaluates them: NULL's three values, text by the
 * column's collation, numbers and points in time by value. ({@code RowConditionParityITCase} checks
 * the same against MariaDB itself.)
 */
class RowConditionTest {
    static final SyncTable ORDERS =
            Tables.keyedByFirstColumn(
                    "app",
                    "orders",
                    List.of(
                            new Column("id", "bigint", "bigint", false, null, false),
                            new Column(
                                    "status",
                                    "varchar",
                                    "varchar(10)",
                                    true,
                                    "utf8mb4_general_ci",
                                    false),
                            new Column("amount", "decimal", "decimal(10,2)", true, null, false),
                            new Column("created", "datetime", "datetime(6)", true, null, false),
                            new Column(
                                    "code", "varchar", "varchar(10)", true, "utf8mb4_bin", false)),
                    -1,
                    ShardRule.MOD);

    private static final String[] ROW = {
        "7", "Paid", "120.50", "2024-03-01 10:00:00.000000", "Ab_c"
    };
    private static final String[] NULLS = {"8", null, null, null, null};

    private static boolean on(String[] row, String where) {
        return RowCondition.compile(where, ORDERS).matches(row, null);
    }

    @Test
    void comparisonsFollowTheColumnsType() {
        assertTrue(on(ROW, "status = 'paid'"), "general_ci ignores case");
        assertTrue(on(ROW, "status = 'PAID  '"), "PAD SPACE ignores trailing spaces");
        assertFalse(on(ROW, "code = 'ab_c'"), "utf8mb4_bin does not");
        assertTrue(on(ROW, "amount > 100 AND amount <= 120.5"));
        assertTrue(on(ROW, "amount = '120.5'"), "a text compared with a number is a number");
        assertTrue(on(ROW, "created >= '2024-03-01' AND created < DATE '2024-03-02'"));
        assertTrue(on(ROW, "created = '2024-03-01 10:00:00'"));
        assertTrue(on(ROW, "id % 2 = 1 AND id DIV 2 = 3 AND -id < 0 AND (id + 1) * 2 = 16"));
    }

    @Test
    void inBetweenLikeAndIsNull() {
        assertTrue(on(ROW, "status IN ('new', 'PAID')"));
        assertTrue(on(ROW, "status NOT IN ('new', 'draft')"));
        assertTrue(on(ROW, "amount BETWEEN 100 AND 200 AND id NOT BETWEEN 8 AND 9"));
        assertTrue(on(ROW, "status LIKE 'p%'"), "LIKE folds case as the collation does");
        assertFalse(on(ROW, "code LIKE 'ab%'"), "but not under _bin");
        assertTrue(on(ROW, "code LIKE 'Ab\\\\_%'"), "an escaped _ is itself");
        assertTrue(on(ROW, "code LIKE 'Ab!_c' ESCAPE '!'"));
        assertFalse(on(ROW, "code LIKE 'Ab!_' ESCAPE '!'"));
        assertTrue(on(NULLS, "status IS NULL AND amount IS NULL"));
        assertTrue(on(ROW, "status IS NOT NULL"));
    }

    @Test
    void nullIsNeitherTrueNorFalse() {
        assertFalse(on(NULLS, "status = 'x'"));
        assertFalse(on(NULLS, "NOT (status = 'x')"), "NOT NULL is NULL");
        assertFalse(on(NULLS, "status <> 'x'"));
        assertTrue(on(NULLS, "status = 'x' OR id = 8"), "NULL OR TRUE is TRUE");
        assertFalse(on(NULLS, "status = 'x' OR id = 9"));
        assertFalse(on(ROW, "id NOT IN (1, NULL)"), "NOT IN a list with NULL is never true");
        assertTrue(on(ROW, "id IN (7, NULL)"));
        assertTrue(on(NULLS, "(amount > 1) IS NOT TRUE"));
        assertFalse(on(ROW, "amount / 0 > 1"), "division by zero is NULL");
    }

    @Test
    void aConditionFollowsTheImagesColumnsAfterASchemaChange() {
        String[] layout = {"id", "note", "status"};
        String[] image = {"7", "x", "paid"};
        assertTrue(RowCondition.compile("status = 'PAID'", ORDERS).matches(image, layout));
        // a column the image does not have any more is NULL
        assertFalse(RowCondition.compile("amount > 0", ORDERS).matches(image, layout));
    }

    @Test
    void whatCannotBeEvaluatedIsRefusedWhenCompiled() {
        assertEquals(
                "column 'region' is not a column of app.orders",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RowCondition.compile("region = 'CN'", ORDERS))
                        .getMessage());
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RowCondition.compile("UPPER(status) = 'PAID'", ORDERS))
                        .getMessage()
                        .contains("is not supported in a row condition"));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RowCondition.checkSyntax("status = = 'x'"))
                        .getMessage()
                        .startsWith("'status = = 'x'' is no SQL condition"));
        assertThrows(
                IllegalArgumentException.class,
                () -> RowCondition.compile("id IN (SELECT id FROM t)", ORDERS));
        assertThrows(
                IllegalArgumentException.class,
                () -> RowCondition.checkSyntax("status = 'x' junk"));
    }
}

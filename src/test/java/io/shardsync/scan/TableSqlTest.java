package io.shardsync.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardsync.config.ShardRule;
import io.shardsync.config.TargetTemplate;
import io.shardsync.model.Column;
import io.shardsync.model.ColumnMapping;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import io.shardsync.testing.Tables;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The SQL plan of a table as the batch tools use it, without a database: a row's shard in a
 * placement of a named number of shards for every rule, which rows belong on some shard, and key
 * parameters and literals by column type. (That MariaDB computes the router's shards with it is the
 * parity check of {@code RangeMapRoutingITCase}.)
 */
class TableSqlTest {
    private static final Column ID =
            new Column("id", "bigint", "bigint unsigned", false, null, false);
    private static final Column REGION =
            new Column("region", "varchar", "varchar(8)", true, "utf8mb4_general_ci", false);
    private static final Column CODE =
            new Column("code", "varbinary", "varbinary(8)", false, null, false);
    private static final Column PRICE =
            new Column("price", "decimal", "decimal(10,2)", false, null, false);

    private static TableSql table(int shardKey, ShardRule rule, Column... columns) {
        return new TableSql(
                Tables.keyedByFirstColumn("app", "t", List.of(columns), shardKey, rule));
    }

    @Test
    void theShardOfARowIsNamedForTheShardCountOfThePlacementAsked() {
        TableSql mod = table(0, ShardRule.MOD, ID);
        assertEquals("IF(`id` IS NULL, 0, MOD(MOD(`id`, 2) + 2, 2))", mod.shardOf(2));
        assertEquals("IF(`id` IS NULL, 0, MOD(MOD(`id`, 4) + 4, 4))", mod.shardOf(4));
    }

    @Test
    void aFingerprintPutsTheLengthBeforeEveryColumnWhoseTextMayHoldTheSeparator() {
        assertEquals(
                "CRC32(CONCAT_WS('#', `id`, LENGTH(`code`), `code`, `price`,"
                        + " CONCAT(ISNULL(`id`), ISNULL(`code`), ISNULL(`price`))))"
                        + " * (CRC32(CONCAT_WS('#', `id`)) | 1)",
                table(0, ShardRule.MOD, ID, CODE, PRICE).fingerprint());
    }

    @Test
    void hashRangeAndMapRulesInSql() {
        assertEquals(
                "IF(`region` IS NULL, 0, CRC32(CONVERT(`region` USING utf8mb4)) % 3)",
                table(1, ShardRule.HASH, ID, REGION).shardOf(3));
        ShardRule range =
                new ShardRule(ShardRule.Kind.RANGE, List.of("100", "2000"), new TreeMap<>(), null);
        assertEquals(
                "IF(`id` IS NULL, 0, CASE WHEN `id` < 100 THEN 0 WHEN `id` < 2000 THEN 1 ELSE 2 END)",
                table(0, range, ID).shardOf(3));
        TreeMap<String, Integer> values = new TreeMap<>();
        values.put("CN", 0);
        values.put("US", 1);
        ShardRule map = new ShardRule(ShardRule.Kind.MAP, List.of(), values, null);
        String shard =
                "IF(`region` IS NULL, 0, CASE `region` WHEN _utf8mb4 X'434e' THEN 0"
                        + " WHEN _utf8mb4 X'5553' THEN 1 END)";
        assertEquals(shard, table(1, map, ID, REGION).shardOf(2));
    }

    @Test
    void aTableOnEveryShardHasNoShardExpression() {
        TableSql everywhere = table(-1, ShardRule.MOD, ID);
        assertFalse(everywhere.isSharded());
        assertNull(everywhere.shardOf(2));
        assertEquals("0", everywhere.tableOf());
    }

    @Test
    void keysAreBoundAndWrittenAsTheirColumnsType() {
        assertEquals("(CAST(? AS UNSIGNED))", table(-1, ShardRule.MOD, ID).keyMarks());
        assertEquals("(UNHEX(?))", table(-1, ShardRule.MOD, CODE).keyMarks());
        assertEquals("(CAST(? AS decimal(10,2)))", table(-1, ShardRule.MOD, PRICE).keyMarks());
        assertEquals("(?)", table(-1, ShardRule.MOD, REGION).keyMarks());
        assertEquals("HEX(`code`)", table(-1, ShardRule.MOD, CODE).keyTexts());
        assertEquals("X'00ff'", table(-1, ShardRule.MOD, CODE).keyLiteral(0, "00FF"));
        assertEquals(
                "CONVERT(X'276127' USING utf8mb4)",
                table(-1, ShardRule.MOD, REGION).keyLiteral(0, "'a'"));
        assertEquals("42", table(-1, ShardRule.MOD, ID).keyLiteral(0, "42"));
        assertThrows(
                IllegalArgumentException.class,
                () -> table(-1, ShardRule.MOD, ID).keyLiteral(0, "1; DROP TABLE t"));
    }

    @Test
    void theTableIsNamedQuoted() {
        assertEquals("`app`.`t`", table(-1, ShardRule.MOD, ID).name());
        assertEquals("`id`", table(-1, ShardRule.MOD, ID).keyList());
    }

    @Test
    void theSourceOfATableWithTransformedColumnsIsADerivedTableOfThem() {
        SyncTable source =
                Tables.keyedByFirstColumn("app", "t", List.of(ID, PRICE), 0, ShardRule.MOD);
        assertEquals("`app`.`t`", TableSql.atSource(source, source).name());
        Column cents = new Column("cents", "decimal", "decimal(13,2)", true, null, false);
        Column renamed = new Column("price_cny", "decimal", "decimal(10,2)", false, null, false);
        SyncTable mapped =
                new SyncTable(
                                "app",
                                "t",
                                List.of(ID, PRICE),
                                new int[] {0},
                                0,
                                ShardRule.MOD,
                                -1,
                                List.of(),
                                "",
                                null,
                                "price > 0",
                                TargetLayout.SOURCE_NAMES)
                        .withLayout(
                                new TargetLayout(
                                        TargetTemplate.SOURCE_NAMES,
                                        null,
                                        -1,
                                        new ColumnMapping(
                                                List.of(ID, renamed, cents),
                                                new int[] {0, 1, -1},
                                                java.util.Arrays.asList(null, null, "price * 100"),
                                                "")));
        TableSql sql = TableSql.atSource(mapped, mapped.written());
        assertEquals(
                "(SELECT `id` AS `id`, `price` AS `price_cny`, (price * 100) AS `cents` FROM"
                        + " `app`.`t` WHERE price > 0) AS `t`",
                sql.name());
        assertEquals("TRUE", sql.kept(), "the derived table keeps only the rows the where keeps");
        assertEquals(List.of("`id`"), sql.keyColumns());
    }
}

package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardsync.config.ConfigException;
import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ShardRuleFitTest {
    private static final Column INT = new Column("k", "int", "int(11)", true, null, false);
    private static final Column DATETIME =
            new Column("k", "datetime", "datetime(6)", true, null, false);
    private static final Column REGION =
            new Column("k", "varchar", "varchar(8)", true, "utf8mb4_general_ci", false);

    private static ShardRule range(String... bounds) {
        return new ShardRule(ShardRule.Kind.RANGE, List.of(bounds), new TreeMap<>(), null);
    }

    private static ShardRule map(Map<String, Integer> values) {
        return new ShardRule(ShardRule.Kind.MAP, List.of(), new TreeMap<>(values), null);
    }

    private static String error(ShardRule rule, Column key) {
        return assertThrows(
                        ConfigException.class,
                        () -> ShardRuleFit.check("tables[1]", "shardRule", rule, key))
                .getMessage();
    }

    @Test
    void acceptsRulesThatFitTheirKey() {
        ShardRuleFit.check("tables[1]", "shardRule", range("-10", "2.5"), INT);
        ShardRuleFit.check(
                "tables[1]",
                "shardRule",
                range("2024-01-01", "2024-06-30 23:59:59.123456"),
                DATETIME);
        ShardRuleFit.check("tables[1]", "shardRule", map(Map.of("CN", 0, "US", 1)), REGION);
        ShardRuleFit.check("tables[1]", "shardRule", map(Map.of("1", 0, "2", 1)), INT);
        ShardRuleFit.check("tables[1]", "shardRule", ShardRule.MOD, INT);
    }

    @Test
    void refusesKeysTheRuleCannotCompareAlikeInJavaAndSql() {
        assertEquals(
                "tables[1].shardRule: 'range' needs an integer, DECIMAL, DATE or DATETIME shard key;"
                        + " 'k' is varchar(8) (use 'hash')",
                error(range("m"), REGION));
        assertEquals(
                "tables[1].shardRule: 'map' needs an integer, DECIMAL, DATE, CHAR, VARCHAR or ENUM"
                        + " shard key; 'k' is datetime(6) (use 'hash')",
                error(map(Map.of("2024-01-01", 0)), DATETIME));
        assertEquals(
                "tables[1].shardRule: 'mod' needs an integer shard key; 'k' is varchar(8)"
                        + " (use 'hash')",
                error(ShardRule.MOD, REGION));
    }

    @Test
    void refusesBoundariesAndValuesNotOfTheKeysType() {
        assertEquals(
                "tables[1].ranges[0]: '2024-01-01' is no number, and k is int(11)",
                error(range("2024-01-01"), INT));
        assertEquals(
                "tables[1].ranges[1]: '2024-1-31' is no datetime like 2024-01-31 or 2024-01-31"
                        + " 12:00:00",
                error(range("2024-01-01", "2024-1-31"), DATETIME));
        assertEquals(
                "tables[1].ranges[0]: '2024-02-30' is no datetime like 2024-01-31 or 2024-01-31"
                        + " 12:00:00",
                error(range("2024-02-30"), DATETIME));
        assertEquals(
                "tables[1].values.x: 'x' is no number, and k is int(11)",
                error(map(Map.of("x", 0)), INT));
    }

    @Test
    void refusesValuesTheColumnsCollationHoldsEqual() {
        assertEquals(
                "tables[1].values.cn: the same value as 'CN' to k (varchar(8), utf8mb4_general_ci)",
                error(map(Map.of("CN", 0, "cn", 1)), REGION));
        assertEquals(
                "tables[1].values.1.0: the same value as '1' to k (int(11))",
                error(map(Map.of("1", 0, "1.0", 1)), INT));
    }
}

package io.shardsync.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.NameTemplate;
import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.config.TableSharding;
import io.shardsync.config.TargetTemplate;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ShardRouterTest {
    private static SyncTable table(int shardKeyIndex, ShardRule rule) {
        return table(
                new Column("user_id", "varchar", "varchar(20)", true, null, false),
                shardKeyIndex,
                rule);
    }

    /** A table keyed by id, sharded by {@code key}. */
    private static SyncTable table(Column key, ShardRule rule) {
        return table(key, 1, rule);
    }

    private static SyncTable table(Column key, int shardKeyIndex, ShardRule rule) {
        List<Column> columns =
                List.of(new Column("id", "bigint", "bigint", false, null, false), key);
        return new SyncTable(
                "db",
                "t",
                columns,
                new int[] {0},
                shardKeyIndex,
                rule,
                -1,
                List.of(),
                "",
                SchemaChanges.of(SchemaChangePolicy.FAIL));
    }

    @Test
    void modIsTheIntegerRemainderAndNeverNegative() {
        ShardRouter router = new ShardRouter(4);
        SyncTable table = table(0, ShardRule.MOD);
        assertEquals(3, router.shardOf(table, new String[] {"7", null}, null));
        assertEquals(1, router.shardOf(table, new String[] {"-3", null}, null));
        assertEquals(3, router.shardOf(table, new String[] {"18446744073709551615", null}, null));
    }

    @Test
    void hashIsSqlCrc32ModShardCount() {
        // Values from MariaDB: SELECT CRC32('alice') % 4, CRC32('😀') % 3
        assertEquals(
                3,
                new ShardRouter(4)
                        .shardOf(table(1, ShardRule.HASH), new String[] {"1", "alice"}, null));
        assertEquals(
                1,
                new ShardRouter(3)
                        .shardOf(table(1, ShardRule.HASH), new String[] {"1", "😀"}, null));
    }

    @Test
    void tablesWithoutShardKeyGoEverywhereAndNullKeysToTheFirstShard() {
        ShardRouter router = new ShardRouter(2);
        assertEquals(
                ShardRouter.ALL_SHARDS,
                router.shardOf(table(-1, ShardRule.MOD), new String[] {"1", "x"}, null));
        assertEquals(0, router.shardOf(table(1, ShardRule.HASH), new String[] {"1", null}, null));
    }

    private static ShardRule range(String... bounds) {
        return new ShardRule(ShardRule.Kind.RANGE, List.of(bounds), new TreeMap<>(), null);
    }

    private static ShardRule map(Map<String, Integer> values, Integer defaultShard) {
        return new ShardRule(ShardRule.Kind.MAP, List.of(), new TreeMap<>(values), defaultShard);
    }

    private static int shardOf(SyncTable table, String value) {
        return new ShardRouter(3).shardOf(table, new String[] {"1", value}, null);
    }

    @Test
    void rangeShardHoldsItsLowerBoundaryAndComparesNumbersAsNumbers() {
        SyncTable ints =
                table(new Column("k", "bigint", "bigint", true, null, false), range("100", "1000"));
        assertEquals(0, shardOf(ints, "-5"));
        assertEquals(0, shardOf(ints, "99"));
        assertEquals(1, shardOf(ints, "100"));
        assertEquals(1, shardOf(ints, "999")); // as text "999" > "1000"
        assertEquals(2, shardOf(ints, "1000"));
        assertEquals(2, shardOf(ints, "18446744073709551615"));
        assertEquals(0, shardOf(ints, null));
        SyncTable decimals =
                table(
                        new Column("k", "decimal", "decimal(10,2)", true, null, false),
                        range("-1.5", "10"));
        assertEquals(0, shardOf(decimals, "-1.51"));
        assertEquals(1, shardOf(decimals, "-1.50"));
        assertEquals(1, shardOf(decimals, "9.99"));
        assertEquals(2, shardOf(decimals, "10.00"));
    }

    @Test
    void rangeComparesDatesAsTheirCanonicalText() {
        SyncTable times =
                table(
                        new Column("k", "datetime", "datetime(6)", true, null, false),
                        range("2024-01-01", "2024-07-01 12:00:00.5"));
        assertEquals(0, shardOf(times, "2023-12-31 23:59:59.999999"));
        assertEquals(1, shardOf(times, "2024-01-01 00:00:00.000000"));
        assertEquals(1, shardOf(times, "2024-07-01 12:00:00.499999"));
        assertEquals(2, shardOf(times, "2024-07-01 12:00:00.500000"));
        SyncTable days =
                table(
                        new Column("k", "date", "date", true, null, false),
                        range("2024-01-01", "2025-01-01"));
        assertEquals(1, shardOf(days, "2024-12-31"));
        assertEquals(2, shardOf(days, "2025-01-01"));
    }

    @Test
    void mapListsValuesAndSendsOthersToTheDefaultOrToNoShard() {
        SyncTable ints =
                table(
                        new Column("k", "decimal", "decimal(6,2)", true, null, false),
                        map(Map.of("1", 2, "2.5", 1), null));
        assertEquals(2, shardOf(ints, "1.00"));
        assertEquals(1, shardOf(ints, "2.50"));
        assertEquals(ShardRouter.NO_SHARD, shardOf(ints, "3.00"));
        assertEquals(0, shardOf(ints, null));
        SyncTable regions =
                table(
                        new Column("k", "varchar", "varchar(8)", true, "utf8mb4_bin", false),
                        map(Map.of("CN", 0, "US", 1), 2));
        assertEquals(1, shardOf(regions, "US"));
        assertEquals(2, shardOf(regions, "us"));
        assertEquals(2, shardOf(regions, "DE"));
    }

    @Test
    void mapComparesTextAsTheColumnsCollation() {
        SyncTable regions =
                table(
                        new Column("k", "varchar", "varchar(8)", true, "utf8mb4_general_ci", false),
                        map(Map.of("CN", 0, "Ü", 1), null));
        assertEquals(0, shardOf(regions, "cn "));
        assertEquals(1, shardOf(regions, "u"));
        assertEquals(ShardRouter.NO_SHARD, shardOf(regions, "C N"));
    }

    @Test
    void theTableOfARowIsPickedByTheTableRuleOverItsKey() {
        TreeMap<String, Integer> values = new TreeMap<>(Map.of("7", 1));
        SyncTable byId =
                table(0, ShardRule.MOD)
                        .withLayout(
                                new TargetLayout(
                                        TargetTemplate.SOURCE_NAMES,
                                        new TableSharding(
                                                3,
                                                "id",
                                                new ShardRule(
                                                        ShardRule.Kind.MAP, List.of(), values, 2),
                                                new NameTemplate("{table}_{index}")),
                                        0));
        ShardRouter router = new ShardRouter(2);
        assertEquals(1, router.tableOf(byId, new String[] {"7", "x"}, null));
        assertEquals(2, router.tableOf(byId, new String[] {"8", "x"}, null));
        assertEquals(0, router.tableOf(byId, new String[] {null, "x"}, null), "NULL: the first");
        assertEquals(0, router.tableOf(table(0, ShardRule.MOD), new String[] {"8", "x"}, null));
        SyncTable byUser =
                table(1, ShardRule.HASH)
                        .withLayout(
                                new TargetLayout(
                                        TargetTemplate.SOURCE_NAMES,
                                        new TableSharding(
                                                4,
                                                "user_id",
                                                ShardRule.HASH,
                                                new NameTemplate("{table}_{index}")),
                                        1));
        // MariaDB: SELECT CRC32('alice') % 4 -> 3, % 2 -> 1: the same hash, another count
        assertEquals(3, router.tableOf(byUser, new String[] {"1", "alice"}, null));
        assertEquals(1, router.shardOf(byUser, new String[] {"1", "alice"}, null));
        // the rule's columns are found by name in an image of other columns
        assertEquals(
                3,
                router.tableOf(
                        byUser,
                        new String[] {"alice", "x", "1"},
                        new String[] {"user_id", "note", "id"}));
    }
}

package io.shardsync.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.NameTemplate;
import io.shardsync.config.ShardRule;
import io.shardsync.config.TableSharding;
import io.shardsync.config.TargetTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetLayoutTest {
    private static final SyncTable ORDERS =
            new SyncTable(
                    "app",
                    "orders",
                    List.of(
                            new Column("id", "bigint", "bigint", false, null, false),
                            new Column("user_id", "bigint", "bigint", false, null, false)),
                    new int[] {0},
                    1,
                    ShardRule.MOD,
                    -1,
                    List.of(),
                    "CREATE TABLE `orders` (\n  `id` bigint NOT NULL, `user_id` bigint NOT NULL,"
                            + " PRIMARY KEY (`id`)\n) ENGINE=InnoDB",
                    null);

    @Test
    void aTableUnderTheSourcesNamesIsItselfOnEveryShard() {
        assertTrue(ORDERS.layout().asAtSource());
        assertEquals(List.of(ORDERS), ORDERS.targetsOn(3));
        assertSame(ORDERS, ORDERS.targetsOn(0).get(0));
    }

    @Test
    void eachTableOfAShardIsNamedByTheTemplatesWithItsOwnCreateStatement() {
        SyncTable split =
                ORDERS.withLayout(
                        new TargetLayout(
                                new TargetTemplate(
                                        new NameTemplate("{database}_{shard}"),
                                        new NameTemplate("t_{table}")),
                                new TableSharding(
                                        3,
                                        "id",
                                        ShardRule.MOD,
                                        new NameTemplate("{table}_{index:02}")),
                                0));
        assertFalse(split.layout().asAtSource());
        List<SyncTable> onShard = split.targetsOn(1);
        assertEquals(
                List.of("app_1.t_orders_00", "app_1.t_orders_01", "app_1.t_orders_02"),
                onShard.stream().map(SyncTable::qualifiedName).toList());
        assertEquals(
                "CREATE TABLE `t_orders_02` (\n  `id` bigint NOT NULL, `user_id` bigint NOT NULL,"
                        + " PRIMARY KEY (`id`)\n) ENGINE=InnoDB",
                onShard.get(2).createStatement());
        assertEquals(split.columns(), onShard.get(2).columns());
    }

    @Test
    void targetNamesAloneRenameTheOneTableOfAShard() {
        SyncTable renamed =
                ORDERS.withLayout(
                        new TargetLayout(
                                new TargetTemplate(
                                        new NameTemplate("shop"), NameTemplate.of("table")),
                                null,
                                -1));
        assertEquals(
                List.of("shop.orders"),
                renamed.targetsOn(0).stream().map(SyncTable::qualifiedName).toList());
    }

    @Test
    void aTableWithTransformedColumnsIsWrittenWithThemItsRolesFoundAmongThem() {
        Column note = new Column("note", "varchar", "varchar(9)", true, "utf8mb4_bin", false);
        SyncTable source =
                new SyncTable(
                                "app",
                                "orders",
                                List.of(ORDERS.columns().get(0), note, ORDERS.columns().get(1)),
                                new int[] {0},
                                2,
                                ShardRule.MOD,
                                -1,
                                List.of(new int[] {1, 2}),
                                "",
                                null)
                        .withLayout(
                                new TargetLayout(
                                        new TargetTemplate(
                                                new NameTemplate("shop"), NameTemplate.of("table")),
                                        null,
                                        -1,
                                        new ColumnMapping(
                                                List.of(
                                                        ORDERS.columns().get(1),
                                                        ORDERS.columns().get(0)),
                                                new int[] {2, 0},
                                                java.util.Arrays.asList(null, null),
                                                "CREATE TABLE `orders` (...)")));
        SyncTable written = source.written();
        assertEquals(
                List.of("user_id", "id"), written.columns().stream().map(Column::name).toList());
        assertEquals(1, written.keyIndexes()[0]);
        assertEquals(0, written.shardKeyIndex());
        assertEquals(List.of(), written.uniqueKeys(), "a UNIQUE key over a left-out column is not");
        assertEquals(null, written.layout().columns());
        assertEquals("CREATE TABLE `orders` (...)", written.createStatement());
        SyncTable onShard = source.targetsOn(0).get(0);
        assertEquals("shop.orders", onShard.qualifiedName());
        assertEquals(written.columns(), onShard.columns());
    }
}

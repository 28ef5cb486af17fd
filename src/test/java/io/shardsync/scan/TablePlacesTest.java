package io.shardsync.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.shardsync.config.NameTemplate;
import io.shardsync.config.ShardRule;
import io.shardsync.config.TableSharding;
import io.shardsync.config.TargetTemplate;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import io.shardsync.testing.Tables;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The places of a table on a placement's shards, and the SQL that finds a row's place. */
class TablePlacesTest {
    private static final List<Column> COLUMNS =
            List.of(
                    new Column("id", "bigint", "bigint", false, null, false),
                    new Column("user_id", "bigint", "bigint", false, null, false));
    private static final SyncTable ORDERS =
            Tables.keyedByFirstColumn("app", "orders", COLUMNS, 1, ShardRule.MOD);
    private static final List<String> NAMED = List.of("s0", "s1", "s2");

    @Test
    void aTableUnderTheSourcesNamesHasOnePlacePerShardNamedByIt() {
        TablePlaces places = new TablePlaces(new TableSql(ORDERS), List.of("s1", "s0"), NAMED);
        assertEquals(2, places.size());
        assertEquals("s0", places.label(1));
        assertEquals(1, places.place("s0"));
        assertEquals(-1, places.place("s2"));
        assertEquals("IF(`user_id` IS NULL, 0, MOD(MOD(`user_id`, 2) + 2, 2))", places.placeOf());
        assertEquals("TRUE", places.placedAnywhere(), "mod places every row");
    }

    @Test
    void onlyAMapRuleWithoutDefaultLeavesRowsWithoutAPlace() {
        TreeMap<String, Integer> values = new TreeMap<>(Map.of("1", 0, "2", 1));
        for (Integer defaultShard : Arrays.asList(null, 1)) {
            SyncTable mapped =
                    Tables.keyedByFirstColumn(
                            "app",
                            "orders",
                            COLUMNS,
                            1,
                            new ShardRule(ShardRule.Kind.MAP, List.of(), values, defaultShard));
            TablePlaces places = new TablePlaces(new TableSql(mapped), List.of("s0", "s1"), NAMED);
            assertEquals(
                    defaultShard == null ? places.placeOf() + " IS NOT NULL" : "TRUE",
                    places.placedAnywhere());
        }
    }

    @Test
    void aSplitTableHasAPlacePerTableOfEachShard() {
        SyncTable split =
                ORDERS.withLayout(
                        new TargetLayout(
                                new TargetTemplate(
                                        new NameTemplate("app_{shard}"), NameTemplate.of("table")),
                                new TableSharding(
                                        3,
                                        "id",
                                        new ShardRule(
                                                ShardRule.Kind.RANGE,
                                                List.of("100", "200"),
                                                new TreeMap<>(),
                                                null),
                                        new NameTemplate("{table}_{index}")),
                                0));
        TablePlaces places = new TablePlaces(new TableSql(split), List.of("s0", "s2"), NAMED);
        assertEquals(6, places.size());
        assertEquals(1, places.shard(4));
        assertEquals("s2/app_2.orders_1", places.label(4));
        assertEquals("`app_2`.`orders_1`", places.at(4).name());
        assertEquals(4, places.place("s2/app_2.orders_1"));
        assertEquals(
                "(IF(`user_id` IS NULL, 0, MOD(MOD(`user_id`, 2) + 2, 2))) * 3 + (IF(`id` IS NULL,"
                        + " 0, CASE WHEN `id` < 100 THEN 0 WHEN `id` < 200 THEN 1 ELSE 2 END))",
                places.placeOf());
    }

    @Test
    void aTableOnEveryShardHasNoPlaceExpressionAndAWhereKeepsItsRows() {
        SyncTable everywhere =
                Tables.keyedByFirstColumn("app", "plans", COLUMNS, -1, ShardRule.MOD);
        TablePlaces places = new TablePlaces(new TableSql(everywhere), List.of("s0"), NAMED);
        assertNull(places.placeOf());
        assertEquals("TRUE", places.placedAnywhere());
    }
}

package io.shardsync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.scan.TablePlaces;
import io.shardsync.scan.TableSql;
import io.shardsync.testing.Tables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Repair planning from verify differences, with the source's rows given: which statement goes to
 * which shard for each kind of difference, a row gone at the source since verify, and reports that
 * do not fit the config.
 */
class RepairPlannerTest {
    private static final List<String> SHARDS = List.of("shard-0", "shard-1");
    private static final SyncTable ORDERS =
            Tables.keyedByFirstColumn(
                    "app",
                    "orders",
                    List.of(
                            new Column("id", "bigint", "bigint", false, null, false),
                            new Column("user_id", "bigint", "bigint", false, null, false)),
                    1,
                    ShardRule.MOD);

    /** The source holds rows 1..9, {@code id = user_id}, each on shard id % 2. */
    private static final RepairPlanner.SourceRows SOURCE =
            new RepairPlanner.SourceRows() {
                @Override
                public List<String> literals(TableSql sql, List<String> key) {
                    long id = Long.parseLong(key.get(0));
                    return id < 10 ? List.of(key.get(0), key.get(0)) : List.of();
                }

                @Override
                public Integer placeOf(TablePlaces places, List<String> key) {
                    long id = Long.parseLong(key.get(0));
                    return id < 10 ? (int) (id % places.size()) : null;
                }
            };

    private static Map<String, List<String>> plan(Difference.Kind kind, long id, String... shards)
            throws Exception {
        return new RepairPlanner(SOURCE, List.of(new TableSql(ORDERS)), SHARDS, SHARDS)
                .plan(
                        List.of(
                                new Difference(
                                        "app.orders",
                                        kind,
                                        List.of(String.valueOf(id)),
                                        List.of(shards),
                                        List.of())));
    }

    private static final String UPSERT_3 =
            "INSERT INTO `app`.`orders` (`id`, `user_id`) VALUES (3, 3) ON DUPLICATE KEY UPDATE";
    private static final String DELETE_3 = "DELETE FROM `app`.`orders` WHERE (`id`) = (3);";

    @Test
    void aMissingOrDifferentRowIsWrittenWhereTheDifferenceSaysItBelongs() throws Exception {
        for (Difference.Kind kind : List.of(Difference.Kind.MISSING, Difference.Kind.DIFFERENT)) {
            Map<String, List<String>> plan = plan(kind, 3, "shard-1");
            assertEquals(List.of(), plan.get("shard-0"), kind.name());
            assertEquals(1, plan.get("shard-1").size(), kind.name());
            assertTrue(plan.get("shard-1").get(0).startsWith(UPSERT_3), plan.toString());
        }
    }

    @Test
    void anExtraRowIsDeleted() throws Exception {
        assertEquals(
                Map.of("shard-0", List.of(DELETE_3), "shard-1", List.of()),
                plan(Difference.Kind.EXTRA, 3, "shard-0"));
    }

    @Test
    void aRowOnTheWrongShardMovesToTheSourcesShard() throws Exception {
        Map<String, List<String>> plan = plan(Difference.Kind.WRONG_SHARD, 3, "shard-0");
        assertEquals(List.of(DELETE_3), plan.get("shard-0"));
        assertTrue(plan.get("shard-1").get(0).startsWith(UPSERT_3), plan.toString());
    }

    @Test
    void aDuplicatedRowStaysOnlyOnItsShard() throws Exception {
        Map<String, List<String>> plan = plan(Difference.Kind.DUPLICATED, 3, "shard-0", "shard-1");
        assertEquals(List.of(DELETE_3), plan.get("shard-0"));
        assertEquals(1, plan.get("shard-1").size());
        assertTrue(plan.get("shard-1").get(0).startsWith(UPSERT_3), plan.toString());
    }

    @Test
    void aRowGoneAtTheSourceSinceVerifyIsDeletedEverywhereItWasSeen() throws Exception {
        assertEquals(
                Map.of(
                        "shard-0",
                        List.of("DELETE FROM `app`.`orders` WHERE (`id`) = (12);"),
                        "shard-1",
                        List.of()),
                plan(Difference.Kind.MISSING, 12, "shard-0"));
    }

    @Test
    void aColumnDifferenceIsLeftToADdl() throws Exception {
        assertEquals(
                Map.of("shard-0", List.of(), "shard-1", List.of()),
                new RepairPlanner(SOURCE, List.of(new TableSql(ORDERS)), SHARDS, SHARDS)
                        .plan(
                                List.of(
                                        new Difference(
                                                "app.orders",
                                                Difference.Kind.SCHEMA,
                                                List.of(),
                                                List.of("shard-0"),
                                                List.of("note")))));
    }

    @Test
    void aReportOfAnotherConfigIsRefused() {
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> plan(Difference.Kind.MISSING, 3, "shard-7"))
                        .getMessage()
                        .contains("names shard 'shard-7', not in the config"));
        RepairPlanner planner =
                new RepairPlanner(SOURCE, List.of(new TableSql(ORDERS)), SHARDS, SHARDS);
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        planner.plan(
                                                List.of(
                                                        new Difference(
                                                                "app.users",
                                                                Difference.Kind.MISSING,
                                                                List.of("1"),
                                                                List.of("shard-0"),
                                                                List.of()))))
                        .getMessage()
                        .contains("names table app.users, not in the config"));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        planner.plan(
                                                List.of(
                                                        new Difference(
                                                                "app.orders",
                                                                Difference.Kind.MISSING,
                                                                List.of("1", "2"),
                                                                List.of("shard-0"),
                                                                List.of()))))
                        .getMessage()
                        .contains("does not fit its primary key"));
    }
}

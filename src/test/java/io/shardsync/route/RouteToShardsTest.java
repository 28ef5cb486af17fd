package io.shardsync.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardsync.config.NameTemplate;
import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.config.TableSharding;
import io.shardsync.config.TargetTemplate;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.Conflict;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import io.shardsync.model.SideOutputs;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import io.shardsync.placement.RestoreGuard;
import io.shardsync.placement.StateFingerprint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Routing of single and dual placements: during a reshard (shards 0..1 by {@code user % 2}, shadow
 * shards 0..3 by {@code user % 4}) a row lives on its shard in each placement, and a move deletes
 * it only from shards neither placement keeps it on.
 */
class RouteToShardsTest {
    private static final List<String> TWO = List.of("s0", "s1");

    /** A kafka source: its changes of a row may skip versions. */
    private static final String UNORDERED = "topic";

    private static final List<String> FOUR = List.of("s0", "s1", "s2", "s3");

    /** Routes user 1 to s0 and user 2 to s1, and no other. */
    private static final ShardRule MAP =
            new ShardRule(
                    ShardRule.Kind.MAP, List.of(), new TreeMap<>(Map.of("1", 0, "2", 1)), null);

    private static SyncTable table(String name, int shardKeyIndex) {
        return table(name, shardKeyIndex, ShardRule.MOD);
    }

    private static SyncTable table(String name, int shardKeyIndex, ShardRule rule) {
        List<Column> columns =
                List.of(
                        new Column("id", "bigint", "bigint", false, null, false),
                        new Column("user", "bigint", "bigint", false, null, false));
        return new SyncTable(
                "db",
                name,
                columns,
                new int[] {0},
                shardKeyIndex,
                rule,
                -1,
                List.of(),
                "",
                SchemaChanges.of(SchemaChangePolicy.FAIL));
    }

    private static ChangeEvent change(String table, Op op, String userBefore, String userAfter) {
        ChangeEvent e = new ChangeEvent();
        e.sourceId = "source-1";
        e.database = "db";
        e.table = table;
        e.op = op;
        e.key = new String[] {"1"};
        e.before = userBefore == null ? null : new String[] {"1", userBefore};
        e.after = userAfter == null ? null : new String[] {"1", userAfter};
        e.version = new RowVersion(1, 0, 0, 0);
        return e;
    }

    /**
     * Split over two tables per shard by user ({@code < 10}, {@code >= 10}), on databases named
     * after their shard.
     */
    private static final TargetLayout SPLIT =
            new TargetLayout(
                    new TargetTemplate(new NameTemplate("db_{shard}"), NameTemplate.of("table")),
                    new TableSharding(
                            2,
                            "user",
                            new ShardRule(
                                    ShardRule.Kind.RANGE, List.of("10"), new TreeMap<>(), null),
                            new NameTemplate("{table}_{index}")),
                    1);

    /** Two source tables written to one target table, {@code db.merged}. */
    private static final TargetLayout MERGED =
            new TargetLayout(
                    new TargetTemplate(NameTemplate.of("database"), new NameTemplate("merged")),
                    null,
                    -1);

    /** The split table by the rules of a reshard to four tables per shard by user: 5, 10, 15. */
    private static final TableSharding FOUR_TABLES =
            new TableSharding(
                    4,
                    "user",
                    new ShardRule(
                            ShardRule.Kind.RANGE, List.of("5", "10", "15"), new TreeMap<>(), null),
                    new NameTemplate("{table}_{index}"));

    private static List<SyncTable> tables() {
        return List.of(
                table("orders", 1),
                table("plans", -1),
                table("regions", 1, MAP),
                table("split", 1).withLayout(SPLIT),
                table("merged_a", 1).withLayout(MERGED),
                table("merged_b", 1).withLayout(MERGED));
    }

    private static RouteToShards router(List<String> shards, List<String> shadow) {
        return router(shards, shadow, tables());
    }

    /** A router of {@link #tables} whose shadow placement routes them as {@code shadowTables}. */
    private static RouteToShards router(
            List<String> shards, List<String> shadow, List<SyncTable> shadowTables) {
        List<SyncTable> tables = tables();
        return new RouteToShards(
                tables,
                shadowTables,
                shards,
                shadow,
                Stream.concat(shards.stream(), shadow.stream()).distinct().toList(),
                new RestoreGuard(StateFingerprint.of(shards, shadow, tables), List.of()),
                null,
                Set.of(UNORDERED));
    }

    /** What each shard received, as "OP user" lines. */
    private static Map<String, List<String>> route(
            List<String> shards, List<String> shadow, ChangeEvent change) throws Exception {
        return route(router(shards, shadow), change);
    }

    private static Map<String, List<String>> route(RouteToShards router, ChangeEvent change)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(router)) {
            harness.processElement(change, 0);
            Map<String, List<String>> received = new LinkedHashMap<>();
            for (String shard : FOUR) {
                Queue<StreamRecord<ChangeEvent>> out =
                        harness.getSideOutput(SideOutputs.shard(shard));
                if (out != null) {
                    List<String> lines = new ArrayList<>();
                    out.forEach(r -> lines.add(line(r.getValue())));
                    received.put(shard, lines);
                }
            }
            Queue<StreamRecord<Conflict>> conflicts = harness.getSideOutput(SideOutputs.CONFLICTS);
            if (conflicts != null) {
                List<String> lines = new ArrayList<>();
                conflicts.forEach(r -> lines.add(r.getValue().kind + " " + r.getValue().error));
                received.put("conflicts", lines);
            }
            return received;
        }
    }

    /** "OP user", and the table it is written to when it has another name than the source's. */
    private static String line(ChangeEvent change) {
        return change.op
                + " "
                + change.image()[1]
                + (change.target == null ? "" : " " + change.target);
    }

    @Test
    void stateOfAnotherPlacementIsRefusedOnRestore() throws Exception {
        OperatorSubtaskState twoShards;
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(router(TWO, List.of()))) {
            twoShards = harness.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> same = restoring(TWO);
                OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> added =
                        restoring(FOUR)) {
            same.initializeState(twoShards);
            same.open();
            assertThrows(SuppressRestartsException.class, () -> added.initializeState(twoShards));
        }
    }

    private static OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> restoring(
            List<String> shards) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(router(shards, List.of())));
    }

    @Test
    void aSinglePlacementMovesARowWhoseShardKeyChanged() throws Exception {
        assertEquals(
                Map.of("s0", List.of("DELETE 6"), "s1", List.of("UPDATE 7")),
                route(TWO, List.of(), change("orders", Op.UPDATE, "6", "7")));
    }

    @Test
    void anUpdateOrDeleteThatMayHaveSkippedAMoveDeletesTheRowWhereverItDoesNotBelong()
            throws Exception {
        ChangeEvent update = change("orders", Op.UPDATE, "6", "8");
        update.sourceId = UNORDERED;
        assertEquals(
                Map.of("s0", List.of("UPDATE 8"), "s1", List.of("DELETE 6")),
                route(TWO, List.of(), update));
        ChangeEvent delete = change("orders", Op.DELETE, "6", null);
        delete.sourceId = UNORDERED;
        assertEquals(
                Map.of(
                        "s0", List.of("DELETE 6"),
                        "s1", List.of("DELETE 6"),
                        "s2", List.of("DELETE 6"),
                        "s3", List.of("DELETE 6")),
                route(TWO, FOUR, delete));
        ChangeEvent insert = change("orders", Op.INSERT, null, "6");
        insert.sourceId = UNORDERED;
        assertEquals(Map.of("s0", List.of("INSERT 6")), route(TWO, List.of(), insert));
    }

    @Test
    void aReshardInFlightWritesTheRowToItsShardInBothPlacements() throws Exception {
        assertEquals(
                Map.of("s0", List.of("INSERT 6"), "s2", List.of("INSERT 6")),
                route(TWO, FOUR, change("orders", Op.INSERT, null, "6")));
        assertEquals(
                Map.of("s0", List.of("INSERT 4")),
                route(TWO, FOUR, change("orders", Op.INSERT, null, "4")));
    }

    @Test
    void aMoveDuringAReshardDeletesOnlyWhereNeitherPlacementKeepsTheRow() throws Exception {
        assertEquals(
                Map.of(
                        "s0", List.of("DELETE 6"),
                        "s2", List.of("DELETE 6"),
                        "s1", List.of("UPDATE 7"),
                        "s3", List.of("UPDATE 7")),
                route(TWO, FOUR, change("orders", Op.UPDATE, "6", "7")));
        assertEquals(
                Map.of("s0", List.of("UPDATE 6"), "s2", List.of("UPDATE 6")),
                route(TWO, FOUR, change("orders", Op.UPDATE, "4", "6")));
        assertEquals(
                Map.of("s2", List.of("DELETE 6"), "s0", List.of("UPDATE 4")),
                route(FOUR, TWO, change("orders", Op.UPDATE, "6", "4")));
    }

    @Test
    void aTableWithoutShardKeyGoesToEveryShardOfBothPlacements() throws Exception {
        assertEquals(
                Map.of(
                        "s0", List.of("INSERT 9"),
                        "s1", List.of("INSERT 9"),
                        "s2", List.of("INSERT 9"),
                        "s3", List.of("INSERT 9")),
                route(TWO, FOUR, change("plans", Op.INSERT, null, "9")));
    }

    @Test
    void aRowOnNoShardIsRejectedAndAMoveThereDeletesItWhereItWas() throws Exception {
        String rejected =
                "TARGET_REJECTED no shard for user '3': the map rule lists no such value and has"
                        + " no default";
        assertEquals(
                Map.of("conflicts", List.of(rejected)),
                route(TWO, List.of(), change("regions", Op.INSERT, null, "3")));
        assertEquals(
                Map.of("s1", List.of("DELETE 2"), "conflicts", List.of(rejected)),
                route(TWO, List.of(), change("regions", Op.UPDATE, "2", "3")));
        assertEquals(
                Map.of("s0", List.of("UPDATE 1")),
                route(TWO, List.of(), change("regions", Op.UPDATE, "3", "1")));
        assertEquals(Map.of(), route(TWO, List.of(), change("regions", Op.DELETE, "3", null)));
    }

    @Test
    void aSplitTableAddressesEachChangeToItsTableThereAndMovesBetweenTables() throws Exception {
        assertEquals(
                Map.of("s0", List.of("INSERT 4 db_0.split_0")),
                route(TWO, List.of(), change("split", Op.INSERT, null, "4")));
        assertEquals(
                Map.of("s0", List.of("DELETE 4 db_0.split_0", "UPDATE 14 db_0.split_1")),
                route(TWO, List.of(), change("split", Op.UPDATE, "4", "14")),
                "a move between two tables of one shard");
        assertEquals(
                Map.of(
                        "s0",
                        List.of("DELETE 4 db_0.split_0"),
                        "s1",
                        List.of("UPDATE 15 db_1.split_1")),
                route(TWO, List.of(), change("split", Op.UPDATE, "4", "15")));
        assertEquals(
                Map.of("s1", List.of("UPDATE 13 db_1.split_1")),
                route(TWO, List.of(), change("split", Op.UPDATE, "11", "13")));
        ChangeEvent delete = change("split", Op.DELETE, "4", null);
        delete.sourceId = UNORDERED;
        assertEquals(
                Map.of(
                        "s0", List.of("DELETE 4 db_0.split_0", "DELETE 4 db_0.split_1"),
                        "s1", List.of("DELETE 4 db_1.split_0", "DELETE 4 db_1.split_1")),
                route(TWO, List.of(), delete),
                "a delete that may have skipped a move: every table of every shard");
        assertEquals(
                Map.of(
                        "s0",
                        List.of("INSERT 6 db_0.split_0"),
                        "s2",
                        List.of("INSERT 6 db_2.split_0")),
                route(TWO, FOUR, change("split", Op.INSERT, null, "6")),
                "a reshard's shadow shard: its own database");
    }

    @Test
    void aReshardToOtherTablesWritesEachPlacementsTableAndOneTheyShareOnce() throws Exception {
        List<SyncTable> shadowTables =
                tables().stream()
                        .map(
                                t ->
                                        t.table().equals("split")
                                                ? t.routedBy(ShardRule.MOD, FOUR_TABLES)
                                                : t)
                        .toList();
        assertEquals(
                Map.of("s1", List.of("INSERT 7 db_1.split_0", "INSERT 7 db_1.split_1")),
                route(router(TWO, TWO, shadowTables), change("split", Op.INSERT, null, "7")),
                "user 7: the first of two tables, the second of four");
        assertEquals(
                Map.of(
                        "s1",
                        List.of("DELETE 7 db_1.split_0", "DELETE 7 db_1.split_1"),
                        "s0",
                        List.of("UPDATE 12 db_0.split_1", "UPDATE 12 db_0.split_2")),
                route(router(TWO, TWO, shadowTables), change("split", Op.UPDATE, "7", "12")));
        assertEquals(
                Map.of("s1", List.of("UPDATE 1 db_1.split_0")),
                route(router(TWO, TWO, shadowTables), change("split", Op.UPDATE, "3", "1")),
                "users below 5 are in table 0 by both rules: one write, no delete");
    }

    @Test
    void aChangeOfATableMergedWithOthersDeletesItsKeyFromEveryOtherShard() throws Exception {
        // the key may be on another shard from the other table merged into the target
        assertEquals(
                Map.of(
                        "s0", List.of("INSERT 6 db.merged"),
                        "s1", List.of("DELETE 6 db.merged")),
                route(TWO, List.of(), change("merged_b", Op.INSERT, null, "6")));
        assertEquals(
                Map.of(
                        "s0", List.of("DELETE 4 db.merged"),
                        "s1", List.of("UPDATE 5 db.merged")),
                route(TWO, List.of(), change("merged_a", Op.UPDATE, "4", "5")));
    }
}

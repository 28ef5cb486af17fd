package io.shardsync.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.ShardRule;
import io.shardsync.config.TableRoutes;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.Test;

/**
 * Which restored states a job accepts: its own placement, a reshard workflow's placements, and
 * state from before fingerprints were stored; never other shards or other table keys.
 */
class RestoreGuardTest {
    private static final List<String> TWO = List.of("shard-0", "shard-1");
    private static final SyncTable ORDERS = table("orders", new int[] {0}, 1, ShardRule.MOD, 2);

    private static SyncTable table(
            String name, int[] key, int shardKey, ShardRule rule, int version) {
        List<Column> columns =
                List.of(
                        new Column("id", "bigint", "bigint", false, null, false),
                        new Column("user_id", "bigint", "bigint", false, null, false),
                        new Column("version", "bigint", "bigint", false, null, false));
        return new SyncTable(
                "app",
                name,
                columns,
                key,
                shardKey,
                rule,
                version,
                List.of(),
                "",
                SchemaChanges.of(SchemaChangePolicy.FAIL));
    }

    private static SortedMap<String, String> builtWith(List<String> shards, SyncTable... tables) {
        return StateFingerprint.of(shards, List.of(), List.of(tables)).entries();
    }

    private static RestoreGuard guard(List<String> shards, SyncTable... tables) {
        return new RestoreGuard(StateFingerprint.of(shards, List.of(), List.of(tables)), List.of());
    }

    private static String refusal(RestoreGuard guard, Map<String, String> restored) {
        SuppressRestartsException e =
                assertThrows(SuppressRestartsException.class, () -> guard.restore(restored));
        return e.getCause().getMessage();
    }

    @Test
    void aFreshStartAndASavepointWithoutFingerprintStoreTheCurrentOne() {
        assertEquals(builtWith(TWO, ORDERS), guard(TWO, ORDERS).restore(Map.of()));
    }

    @Test
    void theSamePlacementRestores() {
        assertEquals(builtWith(TWO, ORDERS), guard(TWO, ORDERS).restore(builtWith(TWO, ORDERS)));
    }

    @Test
    void addedRemovedOrReorderedShardsAreRefused() {
        List<String> three = List.of("shard-0", "shard-1", "shard-2");
        String message = refusal(guard(three, ORDERS), builtWith(TWO, ORDERS));
        assertTrue(
                message.contains(
                        "shards: [shard-0, shard-1] in the restored state,"
                                + " [shard-0, shard-1, shard-2] in this config"),
                message);
        assertTrue(message.contains("--mode reshard"), message);
        refusal(guard(List.of("shard-0"), ORDERS), builtWith(TWO, ORDERS));
        refusal(guard(List.of("shard-1", "shard-0"), ORDERS), builtWith(TWO, ORDERS));
    }

    @Test
    void aTablesKeyShardKeyRuleOrVersionColumnChangeIsRefused() {
        Map<String, String> restored = builtWith(TWO, ORDERS);
        assertEquals(
                "table app.orders: primary key [id], shard key user_id by mod, version version in"
                        + " the restored state, primary key [id], shard key user_id by hash,"
                        + " version version in this config",
                refusal(guard(TWO, table("orders", new int[] {0}, 1, ShardRule.HASH, 2)), restored)
                        .replaceAll(".*Changed: (.*)\\. To change.*", "$1"));
        refusal(guard(TWO, table("orders", new int[] {0, 1}, 1, ShardRule.MOD, 2)), restored);
        refusal(guard(TWO, table("orders", new int[] {0}, -1, ShardRule.MOD, 2)), restored);
        refusal(guard(TWO, table("orders", new int[] {0}, 1, ShardRule.MOD, -1)), restored);
    }

    @Test
    void tablesMayBeAddedOrDroppedButNotAddedBackWithOtherKeys() {
        SyncTable plans = table("plans", new int[] {0}, -1, ShardRule.MOD, -1);
        assertEquals(
                builtWith(TWO, ORDERS, plans),
                guard(TWO, ORDERS, plans).restore(builtWith(TWO, ORDERS)));
        SortedMap<String, String> dropped =
                guard(TWO, ORDERS).restore(builtWith(TWO, ORDERS, plans));
        assertEquals(builtWith(TWO, ORDERS, plans), dropped);
        refusal(guard(TWO, ORDERS, table("plans", new int[] {0}, 1, ShardRule.MOD, -1)), dropped);
    }

    @Test
    void aReshardWorkflowMovesBetweenItsPlacements() throws Exception {
        JobConfig config = ConfigLoader.load("classpath:jobs/valid.yaml");
        List<ShardConfig> from = config.shards();
        List<ShardConfig> to =
                ShardConfig.union(
                        from,
                        List.of(new ShardConfig("north", "jdbc:x", "u", from.get(0).password())));
        Map<String, String> beforeTheReshard = builtWith(ShardConfig.names(from), ORDERS);
        for (ReshardPhase phase : ReshardPhase.values()) {
            ReshardWorkflow workflow =
                    ReshardWorkflow.start(config.name(), from, to, TableRoutes.NONE)
                            .withPhase(phase);
            Placement placed = workflow.placement();
            RestoreGuard guard = RestoreGuard.of(placed, List.of(ORDERS), Optional.of(workflow));
            assertEquals(
                    StateFingerprint.of(
                                    placed.servingNames(), placed.shadowNames(), List.of(ORDERS))
                            .entries(),
                    guard.restore(beforeTheReshard),
                    phase.name());
        }
        // without the workflow, the new placement is a change like any other
        refusal(
                RestoreGuard.of(Placement.of(to), List.of(ORDERS), Optional.empty()),
                beforeTheReshard);
    }
}

package io.shardsync.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.Secret;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.TableRoutes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The placement of every phase of a reshard from shards {a, b} to {a, b, c, d}: which shards serve
 * (and are verified), which are kept current beside them, which keep an idle sink, and which the
 * stream writes.
 */
class PlacementTest {
    private static final List<ShardConfig> FROM = shards("a", "b");
    private static final List<ShardConfig> TO = shards("a", "b", "c", "d");

    private static List<ShardConfig> shards(String... names) {
        return List.of(names).stream()
                .map(n -> new ShardConfig(n, "jdbc:mariadb://" + n, "u", new Secret("P", null)))
                .toList();
    }

    /** "serving | shadow | retired | written | with sinks", each a name list. */
    private static String of(ReshardPhase phase) {
        Placement p = phase.placement(FROM, TO, TableRoutes.NONE);
        return String.join(
                " | ",
                p.servingNames().toString(),
                p.shadowNames().toString(),
                ShardConfig.names(p.retired()).toString(),
                ShardConfig.names(p.written()).toString(),
                ShardConfig.names(p.withSinks()).toString());
    }

    @Test
    void eachPhaseServesWritesAndKeepsSinksAsTheWorkflowNeeds() {
        // the old placement serves; the new one is filled beside it
        assertEquals(
                "[a, b] | [a, b, c, d] | [] | [a, b, c, d] | [a, b, c, d]", of(ReshardPhase.DUAL));
        // the new placement serves; the old one stays current for a rollback
        assertEquals(
                "[a, b, c, d] | [a, b] | [] | [a, b, c, d] | [a, b, c, d]",
                of(ReshardPhase.SWITCHED));
        // the new placement only; every shard is in it, so none is retired
        assertEquals(
                "[a, b, c, d] | [] | [] | [a, b, c, d] | [a, b, c, d]", of(ReshardPhase.CLEANING));
        assertEquals("[a, b, c, d] | [] | [] | [a, b, c, d] | [a, b, c, d]", of(ReshardPhase.DONE));
        // the old placement only; the new shards keep an idle sink for the savepoint's state
        assertEquals("[a, b] | [] | [c, d] | [a, b] | [a, b, c, d]", of(ReshardPhase.ROLLING_BACK));
        assertEquals("[a, b] | [] | [c, d] | [a, b] | [a, b, c, d]", of(ReshardPhase.ROLLED_BACK));
    }

    @Test
    void aShrinkRetiresTheShardsItLeaves() {
        Placement done = ReshardPhase.DONE.placement(TO, FROM, TableRoutes.NONE);
        assertEquals(List.of("a", "b"), done.servingNames());
        assertEquals(List.of("c", "d"), ShardConfig.names(done.retired()));
        assertEquals(List.of("a", "b", "c", "d"), ShardConfig.names(done.withSinks()));
    }

    @Test
    void withoutAReshardTheConfigsShardsServeAlone() {
        Placement p = Placement.of(FROM);
        assertEquals(List.of("a", "b"), ShardConfig.names(p.written()));
        assertEquals(List.of(), p.shadowNames());
        assertEquals(List.of("a", "b"), ShardConfig.names(p.withSinks()));
    }
}

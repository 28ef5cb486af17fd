package io.shardsync.route;

import io.shardsync.model.SyncTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one synced table's rows can be on the written shards: its slots, each one table of it on
 * one shard, numbered once for the serving and the shadow placement of a reshard, so a physical
 * table both use is one slot even when their rules give it other indexes (2 → 4 tables per shard).
 */
final class TableSlots {
    private final SyncTable serving;
    private final SyncTable shadow;

    /** The slot of each table index on each shard of the serving and the shadow placement. */
    private final int[][] servingSlots;

    private final int[][] shadowSlots;

    /** Each slot's written shard and its table's qualified name there. */
    private final List<Integer> shards = new ArrayList<>();

    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> byName = new HashMap<>();
    private final boolean renamed;

    /**
     * The slots of a table routed as {@code serving} over the written shards at {@code placement}
     * and as {@code shadow} over those at {@code shadowPlacement} (empty without a reshard); {@code
     * written} are the written shards' names, {@code namedShards} the config's, whose positions
     * target names use.
     */
    TableSlots(
            SyncTable serving,
            SyncTable shadow,
            int[] placement,
            int[] shadowPlacement,
            List<String> written,
            List<String> namedShards) {
        this.serving = serving;
        this.shadow = shadow;
        this.servingSlots = number(serving, placement, written, namedShards);
        this.shadowSlots = number(shadow, shadowPlacement, written, namedShards);
        this.renamed = names.stream().anyMatch(n -> !n.equals(serving.qualifiedName()));
    }

    private int[][] number(
            SyncTable table, int[] placement, List<String> written, List<String> namedShards) {
        int[][] slots = new int[placement.length][];
        for (int p = 0; p < placement.length; p++) {
            int shard = placement[p];
            List<SyncTable> targets = table.targetsOn(namedShards.indexOf(written.get(shard)));
            slots[p] = new int[targets.size()];
            for (int index = 0; index < targets.size(); index++) {
                String name = targets.get(index).qualifiedName();
                slots[p][index] =
                        byName.computeIfAbsent(
                                shard + "/" + name,
                                key -> {
                                    shards.add(shard);
                                    names.add(name);
                                    return names.size() - 1;
                                });
            }
        }
        return slots;
    }

    /** The table as the serving placement routes it. */
    SyncTable serving() {
        return serving;
    }

    /** The table as the shadow placement routes it. */
    SyncTable shadow() {
        return shadow;
    }

    /** The slot of a table index on a shard of the serving or the shadow placement. */
    int slot(boolean inShadow, int placementShard, int index) {
        return (inShadow ? shadowSlots : servingSlots)[placementShard][index];
    }

    int count() {
        return names.size();
    }

    /** The written shard of a slot. */
    int shard(int slot) {
        return shards.get(slot);
    }

    /** The qualified name of a slot's table. */
    String name(int slot) {
        return names.get(slot);
    }

    /** Whether some slot's table has another name than the source's. */
    boolean renamed() {
        return renamed;
    }
}

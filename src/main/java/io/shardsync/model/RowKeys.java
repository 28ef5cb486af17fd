package io.shardsync.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * What the merge keys a change by: its table and primary key, or, for source tables written to the
 * same target tables (an already-sharded source merged into one target), that target and the
 * primary key, so a key in two of them is one row, merged by version.
 */
public final class RowKeys implements KeySelector<ChangeEvent, String> {
    /** The merged name of each source table merged with others, by its own name. */
    private final Map<String, String> merged;

    private RowKeys(Map<String, String> merged) {
        this.merged = merged;
    }

    /** The keys of these tables. */
    public static RowKeys of(List<SyncTable> tables) {
        Map<String, String> merged = new HashMap<>();
        for (List<SyncTable> group : groups(tables)) {
            if (group.size() > 1) {
                String name = group.get(0).targetName(0);
                group.forEach(table -> merged.put(table.qualifiedName(), name));
            }
        }
        return new RowKeys(merged);
    }

    /**
     * The tables by the target tables they are written to, in order: a group of several is merged
     * into one target (their targets, checked at start, are one on every shard).
     */
    public static List<List<SyncTable>> groups(List<SyncTable> tables) {
        Map<List<String>, List<SyncTable>> byTargets = new LinkedHashMap<>();
        for (SyncTable table : tables) {
            List<String> targets =
                    table.targetsOn(0).stream().map(SyncTable::qualifiedName).toList();
            byTargets.computeIfAbsent(targets, t -> new ArrayList<>()).add(table);
        }
        return List.copyOf(byTargets.values());
    }

    /** Whether the table is merged with others into one target. */
    public boolean isMerged(SyncTable table) {
        return merged.containsKey(table.qualifiedName());
    }

    @Override
    public String getKey(ChangeEvent change) {
        String name = merged.get(change.qualifiedTable());
        return name == null ? change.rowKey() : ChangeEvent.rowKey(name, change.key);
    }
}

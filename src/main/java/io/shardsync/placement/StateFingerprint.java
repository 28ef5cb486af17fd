package io.shardsync.placement;

import io.shardsync.model.SyncTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a job's state is built with, as named entries: the shards in routing order (and a reshard's
 * shards kept current beside them) and, per table, the columns that decide a row's key, shard and
 * version, and the tables it is written to there. Merge state is keyed and versioned by these, and
 * the shards hold rows where they sent them: restored under other entries, rows would be re-routed
 * (duplicates, deletes on the wrong shard) or versions compared across definitions.
 */
public record StateFingerprint(SortedMap<String, String> entries) implements Serializable {
    static final String SHARDS = "shards";
    static final String SHADOW_SHARDS = "shards kept current";

    public StateFingerprint {
        entries = new TreeMap<>(entries);
    }

    /** The fingerprint of a job routing over {@code shards} (and {@code shadow}) these tables. */
    public static StateFingerprint of(
            List<String> shards, List<String> shadow, List<SyncTable> tables) {
        SortedMap<String, String> entries = new TreeMap<>();
        entries.put(SHARDS, shards.toString());
        entries.put(SHADOW_SHARDS, shadow.toString());
        for (SyncTable table : tables) {
            entries.put("table " + table.qualifiedName(), definition(table));
        }
        return new StateFingerprint(entries);
    }

    /**
     * How {@code restored} differs, one line per entry both name with other values. Tables only one
     * side names do not count: a new table starts with empty state, a dropped one is not read.
     */
    public List<String> changesFrom(Map<String, String> restored) {
        List<String> changes = new ArrayList<>();
        entries.forEach(
                (name, value) -> {
                    String before = restored.get(name);
                    if (before != null && !before.equals(value)) {
                        changes.add(
                                name
                                        + ": "
                                        + before
                                        + " in the restored state, "
                                        + value
                                        + " in this config");
                    }
                });
        return changes;
    }

    /**
     * The entries to store after a restore: these, and the restored definitions of tables this
     * config dropped, so a table dropped and later added back with other keys is still refused.
     */
    public SortedMap<String, String> keptWith(Map<String, String> restored) {
        SortedMap<String, String> kept = new TreeMap<>(restored);
        kept.putAll(entries);
        return kept;
    }

    private static String definition(SyncTable table) {
        List<String> key =
                Arrays.stream(table.keyIndexes()).mapToObj(i -> column(table, i)).toList();
        String shard =
                table.shardKeyIndex() < 0
                        ? "every shard"
                        : column(table, table.shardKeyIndex())
                                + " by "
                                + table.shardRule().describe();
        String version =
                table.versionIndex() < 0 ? "binlog position" : column(table, table.versionIndex());
        String written =
                table.layout().asAtSource() ? "" : ", written to " + table.layout().describe();
        return "primary key " + key + ", shard key " + shard + ", version " + version + written;
    }

    private static String column(SyncTable table, int index) {
        return table.columns().get(index).name();
    }
}

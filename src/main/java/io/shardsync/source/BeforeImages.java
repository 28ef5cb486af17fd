package io.shardsync.source;

import io.shardsync.expr.RowCondition;
import io.shardsync.model.SyncTable;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which updates a source reads without their before image. The job needs an update's before image
 * where the row may have been elsewhere than its after image puts it, or under another key: where
 * its primary key, shard key, table key (by every placement's rules) or a column its {@code where}
 * reads changed. An update that changes none of these is written where it was, so the source leaves
 * its before image out (null) and saves converting every column of it, and carrying it through the
 * shuffle and the checkpoints. Tables whose changes are published keep it: a change message carries
 * both images.
 */
public final class BeforeImages implements Serializable {
    /** The columns that place a row (lower case), by table; absent: every before image is kept. */
    private final Map<String, Set<String>> placing;

    private BeforeImages(Map<String, Set<String>> placing) {
        this.placing = placing;
    }

    /**
     * For tables routed as {@code tables} and, during a reshard, as {@code shadowTables} (the same
     * tables by the other placement's rules), of which {@code published} publish their changes.
     */
    public static BeforeImages of(
            List<SyncTable> tables, List<SyncTable> shadowTables, Predicate<SyncTable> published) {
        Map<String, Set<String>> placing = new HashMap<>();
        for (SyncTable table : tables) {
            if (!published.test(table)) {
                placing.put(table.qualifiedName(), placing(table));
            }
        }
        for (SyncTable table : shadowTables) {
            Set<String> columns = placing.get(table.qualifiedName());
            if (columns != null) {
                columns.addAll(placing(table));
            }
        }
        return new BeforeImages(placing);
    }

    private static Set<String> placing(SyncTable table) {
        Set<Integer> indexes = new HashSet<>();
        for (int key : table.keyIndexes()) {
            indexes.add(key);
        }
        indexes.add(table.shardKeyIndex());
        indexes.add(table.layout().tableKeyIndex());
        if (table.where() != null) {
            indexes.addAll(RowCondition.compile(table.where(), table).columns());
        }
        Set<String> names = new HashSet<>();
        for (int index : indexes) {
            if (index >= 0) {
                names.add(table.columns().get(index).name().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** The columns whose change keeps an update's before image; null: every update keeps it. */
    Set<String> placing(String table) {
        return placing.get(table);
    }
}

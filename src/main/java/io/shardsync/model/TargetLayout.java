package io.shardsync.model;

import io.shardsync.config.TableSharding;
import io.shardsync.config.TargetTemplate;
import java.io.Serializable;

/**
 * Where and how a synced table's rows are written on the shards: the {@code target} names and, with
 * 分表 ({@code tables}, null: one table per shard), the column that picks a row's table ({@code
 * tableKeyIndex}, -1 without); {@code columns} when its columns are transformed (null: as at the
 * source).
 */
public record TargetLayout(
        TargetTemplate target, TableSharding tables, int tableKeyIndex, ColumnMapping columns)
        implements Serializable {
    /** The source's table under its own name on every shard. */
    public static final TargetLayout SOURCE_NAMES =
            new TargetLayout(TargetTemplate.SOURCE_NAMES, null, -1, null);

    public TargetLayout(TargetTemplate target, TableSharding tables, int tableKeyIndex) {
        this(target, tables, tableKeyIndex, null);
    }

    /** The layout with the table key at another position (a table seen on other columns). */
    public TargetLayout withTableKeyIndex(int index) {
        return new TargetLayout(target, tables, index, columns);
    }

    /** How many tables of it each shard holds. */
    public int tableCount() {
        return tables == null ? 1 : tables.count();
    }

    /** Whether each shard holds it as one table with the source's name and columns. */
    public boolean asAtSource() {
        return tables == null && columns == null && target.equals(TargetTemplate.SOURCE_NAMES);
    }

    /**
     * What the state fingerprint records: the names and the table rule (which say where rows are;
     * their columns are checked against the shards' tables at start).
     */
    public String describe() {
        String names = target.database().text() + "." + target.table().text();
        return tables == null ? names : names + " as " + tables.describe();
    }
}

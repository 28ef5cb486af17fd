package io.shardsync.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The columns a synced table is written with on the shards when its entry transforms them ({@code
 * tables[i].columns}): each target column copies the source column at {@code from[i]}, or, where
 * that is -1, is computed by {@code expressions.get(i)}; {@code createStatement} creates such a
 * table.
 */
public record ColumnMapping(
        List<Column> columns, int[] from, List<String> expressions, String createStatement)
        implements Serializable {

    /** The target column of a source column; -1 when it is not written. */
    public int targetOf(int source) {
        for (int i = 0; i < from.length; i++) {
            if (from[i] == source && source >= 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnMapping m
                && columns.equals(m.columns)
                && Arrays.equals(from, m.from)
                && expressions.equals(m.expressions)
                && createStatement.equals(m.createStatement);
    }

    @Override
    public int hashCode() {
        return columns.hashCode() * 31 + Arrays.hashCode(from);
    }

    @Override
    public String toString() {
        return columns.stream().map(Column::name).toList()
                + " from "
                + Arrays.toString(from)
                + " "
                + expressions;
    }
}

package io.shardsync.model;

import java.util.Arrays;

/**
 * One normalized row change. Row images hold every column of the table as canonical text (see
 * {@code source.ValueConverter}); binary columns are hex. The columns are the table's, in its
 * order, as the job was built with it; after a column DDL at the source the images follow the table
 * as it was at the change's binlog position, and {@link #columns} names them. A Flink POJO, so it
 * is serialized without Kryo.
 */
public class ChangeEvent {
    public String sourceId;
    public String database;
    public String table;
    public Op op;

    /** Primary key values, in primary key order. */
    public String[] key;

    public String[] before;
    public String[] after;

    /**
     * The names of the images' columns, in image order; null when they are the table's columns as
     * the job was built with it ({@link SyncTable#columns()}). For a DDL, the columns after it.
     */
    public String[] columns;

    public RowVersion version;
    public String binlogFile;

    /** Source commit time (binlog event time, 1 s resolution; 0 for snapshot reads). */
    public long sourceTimeMs;

    /** When the job read the change. */
    public long readTimeMs;

    /**
     * The table on its shard the change is written to ({@code database.table}), set by the router
     * for a table written under other names than the source's ({@link SyncTable#targetsOn}); null:
     * the source's.
     */
    public String target;

    // Derived from database, table and key, which are set once; computed once per instance (every
    // stage asks for them) and, being transient, never serialized.
    private transient String qualifiedTable;
    private transient String rowKey;
    private transient String targetRowKey;

    public ChangeEvent() {}

    /** The table as {@code database.table}. */
    public String qualifiedTable() {
        if (qualifiedTable == null) {
            qualifiedTable = database + "." + table;
        }
        return qualifiedTable;
    }

    /** The key the stream is partitioned by: one row of one table. */
    public String rowKey() {
        if (rowKey == null) {
            rowKey = rowKey(database, table, key);
        }
        return rowKey;
    }

    /**
     * The row in the table it is written to: a row moving between tables of a shard is two, and one
     * key of two source tables merged into one target is one.
     */
    public String targetRowKey() {
        if (targetRowKey == null) {
            targetRowKey = target == null ? rowKey() : rowKey(target, key);
        }
        return targetRowKey;
    }

    /** The table it is written to on its shard, as {@code database.table}. */
    public String targetTable() {
        return target == null ? qualifiedTable() : target;
    }

    public static String rowKey(String database, String table, String[] key) {
        return keyed(new StringBuilder(database).append('.').append(table), key);
    }

    /** A row of the table named {@code qualifiedName} ({@code database.table}). */
    public static String rowKey(String qualifiedName, String[] key) {
        return keyed(new StringBuilder(qualifiedName), key);
    }

    private static String keyed(StringBuilder table, String[] key) {
        for (String part : key) {
            table.append('\u0000').append(part);
        }
        return table.toString();
    }

    /** The image that describes the row as it is after this change (before image for deletes). */
    public String[] image() {
        return op.writesRow() ? after : before;
    }

    /** A copy written to another table ({@link #target}). */
    public ChangeEvent to(String newTarget) {
        ChangeEvent copy = withOp(op, key, after);
        copy.target = newTarget;
        return copy;
    }

    /** A copy with another operation and after image, e.g. the delete half of a move. */
    public ChangeEvent withOp(Op newOp, String[] newKey, String[] newAfter) {
        ChangeEvent copy = new ChangeEvent();
        copy.sourceId = sourceId;
        copy.database = database;
        copy.table = table;
        copy.op = newOp;
        copy.key = newKey;
        copy.before = before;
        copy.after = newAfter;
        copy.columns = columns;
        copy.version = version;
        copy.binlogFile = binlogFile;
        copy.sourceTimeMs = sourceTimeMs;
        copy.readTimeMs = readTimeMs;
        copy.target = target;
        return copy;
    }

    @Override
    public String toString() {
        return op
                + " "
                + database
                + "."
                + table
                + Arrays.toString(key)
                + " v"
                + version
                + " "
                + Arrays.toString(op.writesRow() ? after : before);
    }
}

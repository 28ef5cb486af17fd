package io.shardsync.expr;

import io.shardsync.model.SyncTable;

/**
 * A computed column: a MySQL expression over a table's row, in the language of {@link
 * RowCondition}, compiled once per table; its value is the text the job writes (numbers in plain
 * digits, points in time as {@code yyyy-MM-dd HH:mm:ss.ffffff}, text as it is; NULL as null).
 */
public final class RowExpression {
    private final ConditionCompiler.Node root;

    private RowExpression(ConditionCompiler.Node root) {
        this.root = root;
    }

    /**
     * Checks that an expression parses, without a table.
     *
     * @throws IllegalArgumentException naming what does not parse
     */
    public static void checkSyntax(String sql) {
        SqlParsing.parse(sql, false);
    }

    /**
     * The expression compiled for a table.
     *
     * @throws IllegalArgumentException when it does not parse, names a column the table does not
     *     have, or uses what an expression here cannot
     */
    public static RowExpression compile(String sql, SyncTable table) {
        return new RowExpression(new ConditionCompiler(table).node(SqlParsing.parse(sql, false)));
    }

    /** Its value for a row image whose columns are {@code layout} (null: the table's own). */
    public String valueOf(String[] image, String[] layout) {
        Value value = root.eval(image, layout);
        return value == null ? null : Value.text(value);
    }
}

package io.shardsync.expr;

import io.shardsync.model.SyncTable;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;

/**
 * A MySQL condition over a synced table's row ({@code where:} of a table), parsed by JSqlParser and
 * compiled once into a tree that evaluates row images (the job's canonical text) as MySQL does:
 * three-valued logic with NULL; numbers compared as numbers (a text compared with a number as the
 * number it starts with); text by the column's collation (case and trailing spaces as it says);
 * DATE, DATETIME and TIMESTAMP columns as points in time, against text such as {@code '2024-01-01'}
 * too. Supported: column names, number, text, NULL, TRUE/FALSE and {@code DATE '…'} / {@code
 * TIMESTAMP '…'} literals, {@code = <> != < <= > >=}, {@code [NOT] IN (…)}, {@code [NOT] BETWEEN},
 * {@code [NOT] LIKE … [ESCAPE …]}, {@code IS [NOT] NULL}, {@code IS [NOT] TRUE/FALSE}, {@code NOT
 * AND OR XOR}, {@code + - * / DIV %} and parentheses. Anything else (functions, subqueries) is
 * refused when the condition is compiled, as is a column the table does not have.
 */
public final class RowCondition {
    private final String sql;
    private final ConditionCompiler.Node root;
    private final Set<Integer> columns;

    private RowCondition(String sql, ConditionCompiler.Node root, Set<Integer> columns) {
        this.sql = sql;
        this.root = root;
        this.columns = Set.copyOf(columns);
    }

    /**
     * Checks that a condition parses, without a table: a config is validated before any connection.
     *
     * @throws IllegalArgumentException naming what does not parse
     */
    public static void checkSyntax(String sql) {
        parse(sql);
    }

    /**
     * The condition compiled for a table.
     *
     * @throws IllegalArgumentException when it does not parse, names a column the table does not
     *     have, or uses what a condition here cannot
     */
    public static RowCondition compile(String sql, SyncTable table) {
        ConditionCompiler compiler = new ConditionCompiler(table);
        ConditionCompiler.Node root = compiler.node(parse(sql));
        return new RowCondition(sql, root, compiler.columns());
    }

    /** The indexes of the table's columns the condition names. */
    public Set<Integer> columns() {
        return columns;
    }

    private static Expression parse(String sql) {
        return SqlParsing.parse(sql, true);
    }

    /**
     * Whether the row matches: the condition is true (NULL and false do not), for an image whose
     * columns are {@code layout} (null: the table's own).
     */
    public boolean matches(String[] image, String[] layout) {
        return Operators.isTrue(root.eval(image, layout));
    }

    @Override
    public String toString() {
        return sql;
    }
}

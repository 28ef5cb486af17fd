package io.shardsync.expr;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/** The text of a row condition or a computed column, parsed by JSqlParser. */
final class SqlParsing {
    private SqlParsing() {}

    /**
     * Parses all of a condition or an expression (not a prefix).
     *
     * @throws IllegalArgumentException naming what does not parse
     */
    static Expression parse(String sql, boolean condition) {
        try {
            return condition
                    ? CCJSqlParserUtil.parseCondExpression(sql, false)
                    : CCJSqlParserUtil.parseExpression(sql, false);
        } catch (JSQLParserException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
            throw new IllegalArgumentException(
                    "'"
                            + sql
                            + "' is no SQL "
                            + (condition ? "condition" : "expression")
                            + ": "
                            + message.lines().findFirst().orElse(""));
        }
    }
}

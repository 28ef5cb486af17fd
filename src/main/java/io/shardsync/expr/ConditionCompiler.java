package io.shardsync.expr;

import static io.shardsync.expr.Operators.FALSE;
import static io.shardsync.expr.Operators.TRUE;
import static io.shardsync.expr.Operators.and;
import static io.shardsync.expr.Operators.bool;
import static io.shardsync.expr.Operators.compare;
import static io.shardsync.expr.Operators.isTrue;
import static io.shardsync.expr.Operators.likeRegex;
import static io.shardsync.expr.Operators.not;
import static io.shardsync.expr.Operators.or;

import io.shardsync.expr.Value.Num;
import io.shardsync.expr.Value.Text;
import io.shardsync.expr.Value.Time;
import io.shardsync.model.Column;
import io.shardsync.model.KeyText;
import io.shardsync.model.SyncTable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;

/**
 * Turns a parsed row condition into a tree of nodes, binding column names to a table's columns:
 * compiled once, evaluated per change.
 */
final class ConditionCompiler {
    /** A compiled node: its value in a row image whose columns are {@code layout}. */
    @FunctionalInterface
    interface Node {
        Value eval(String[] image, String[] layout);
    }

    /** A literal's value. */
    private record Constant(Value value) implements Node {
        @Override
        public Value eval(String[] image, String[] layout) {
            return value;
        }
    }

    /** A column's value; {@code index} is its place in the table's columns. */
    private record ColumnValue(SyncTable table, Column column, int index) implements Node {
        @Override
        public Value eval(String[] image, String[] layout) {
            int at = table.indexIn(layout, index);
            return at < 0 ? null : Value.of(column, image[at]);
        }
    }

    private final SyncTable table;
    private final Set<Integer> columns = new TreeSet<>();

    ConditionCompiler(SyncTable table) {
        this.table = table;
    }

    /** The indexes of the table's columns the compiled nodes read. */
    Set<Integer> columns() {
        return columns;
    }

    /** The node of an expression; refuses what a row condition cannot hold. */
    Node node(Expression e) {
        if (e instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
            return node((Expression) list.get(0));
        }
        if (e instanceof net.sf.jsqlparser.schema.Column column) {
            return column(column.getColumnName());
        }
        if (e instanceof LongValue || e instanceof DoubleValue) {
            return new Constant(new Num(new BigDecimal(e.toString())));
        }
        if (e instanceof StringValue s) {
            return new Constant(Text.of(literal(s), null));
        }
        if (e instanceof NullValue) {
            return new Constant(null);
        }
        if (e instanceof BooleanValue b) {
            return new Constant(b.getValue() ? TRUE : FALSE);
        }
        if (e instanceof CastExpression cast && cast.isImplicitCast()) {
            return temporalLiteral(cast);
        }
        if (e instanceof SignedExpression signed) {
            Node operand = node(signed.getExpression());
            boolean minus = signed.getSign() == '-';
            return (image, layout) -> {
                Num n = Value.number(operand.eval(image, layout));
                return n == null || !minus ? n : new Num(n.value().negate());
            };
        }
        if (e instanceof NotExpression not) {
            Node operand = node(not.getExpression());
            return (image, layout) -> not(operand.eval(image, layout));
        }
        if (e instanceof AndExpression and) {
            Node left = node(and.getLeftExpression());
            Node right = node(and.getRightExpression());
            return (image, layout) -> and(left.eval(image, layout), right.eval(image, layout));
        }
        if (e instanceof OrExpression or) {
            Node left = node(or.getLeftExpression());
            Node right = node(or.getRightExpression());
            return (image, layout) -> or(left.eval(image, layout), right.eval(image, layout));
        }
        if (e instanceof XorExpression xor) {
            Node left = node(xor.getLeftExpression());
            Node right = node(xor.getRightExpression());
            return (image, layout) -> {
                Value l = left.eval(image, layout);
                Value r = right.eval(image, layout);
                return l == null || r == null ? null : bool(isTrue(l) != isTrue(r));
            };
        }
        if (e instanceof ComparisonOperator comparison) {
            return comparison(comparison);
        }
        if (e instanceof BinaryExpression arithmetic && isArithmetic(arithmetic)) {
            return arithmetic(arithmetic);
        }
        if (e instanceof InExpression in) {
            return in(in);
        }
        if (e instanceof Between between) {
            Node value = node(between.getLeftExpression());
            Node low = coerced(node(between.getBetweenExpressionStart()), value);
            Node high = coerced(node(between.getBetweenExpressionEnd()), value);
            boolean negated = between.isNot();
            return (image, layout) -> {
                Value v = value.eval(image, layout);
                Value result =
                        and(
                                bool(compare(v, low.eval(image, layout)), c -> c >= 0),
                                bool(compare(v, high.eval(image, layout)), c -> c <= 0));
                return negated ? not(result) : result;
            };
        }
        if (e instanceof LikeExpression like) {
            return like(like);
        }
        if (e instanceof IsNullExpression isNull) {
            Node operand = node(isNull.getLeftExpression());
            boolean negated = isNull.isNot();
            return (image, layout) -> bool((operand.eval(image, layout) == null) != negated);
        }
        if (e instanceof IsBooleanExpression isBoolean) {
            Node operand = node(isBoolean.getLeftExpression());
            boolean wanted = isBoolean.isTrue();
            boolean negated = isBoolean.isNot();
            return (image, layout) -> {
                Value v = operand.eval(image, layout);
                boolean is = v != null && isTrue(v) == wanted;
                return bool(is != negated);
            };
        }
        throw new IllegalArgumentException(
                "'"
                        + e
                        + "' is not supported in a row condition or computed column (columns, literals,"
                        + " comparisons, IN, BETWEEN, LIKE, IS NULL, NOT/AND/OR/XOR and"
                        + " arithmetic are)");
    }

    private Node column(String quotedName) {
        String name = quotedName.replace("`", "");
        if (name.equalsIgnoreCase("true") || name.equalsIgnoreCase("false")) {
            return new Constant(name.equalsIgnoreCase("true") ? TRUE : FALSE);
        }
        List<Column> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                this.columns.add(i);
                return new ColumnValue(table, columns.get(i), i);
            }
        }
        throw new IllegalArgumentException(
                "column '" + name + "' is not a column of " + table.qualifiedName());
    }

    private Node temporalLiteral(CastExpression cast) {
        String type = cast.getColDataType().getDataType().toUpperCase(Locale.ROOT);
        String text = cast.getLeftExpression() instanceof StringValue s ? s.getValue() : null;
        Time time = text == null ? null : Value.time(text);
        if (!List.of("DATE", "TIMESTAMP", "DATETIME").contains(type) || time == null) {
            throw new IllegalArgumentException(
                    "'" + cast + "' is no DATE or TIMESTAMP literal of a valid point in time");
        }
        return new Constant(time);
    }

    /**
     * A text literal compared with a column, converted once to what the comparison would convert it
     * to on every row: a point in time for a DATE/DATETIME/TIMESTAMP column, a number for a number
     * column, a text in the column's comparison form for a text column.
     */
    private static Node coerced(Node node, Node other) {
        if (!(node instanceof Constant constant)
                || !(constant.value() instanceof Text text)
                || !(other instanceof ColumnValue column)) {
            return node;
        }
        return switch (Value.kindOf(column.column())) {
            case TIME -> {
                Time time = Value.time(text.value());
                yield time == null ? node : new Constant(time);
            }
            case NUMBER -> new Constant(Value.number(text));
                // folded once into the column's comparison form, not on every row
            case TEXT -> new Constant(Text.of(text.value(), column.column().keyText()));
        };
    }

    private Node comparison(ComparisonOperator comparison) {
        Node parsedLeft = node(comparison.getLeftExpression());
        Node parsedRight = node(comparison.getRightExpression());
        Node left = coerced(parsedLeft, parsedRight);
        Node right = coerced(parsedRight, parsedLeft);
        String operator = comparison.getStringExpression();
        IntPredicate holds =
                switch (operator) {
                    case "=" -> c -> c == 0;
                    case "<>", "!=" -> c -> c != 0;
                    case "<" -> c -> c < 0;
                    case "<=" -> c -> c <= 0;
                    case ">" -> c -> c > 0;
                    case ">=" -> c -> c >= 0;
                    default ->
                            throw new IllegalArgumentException(
                                    "operator '" + operator + "' is not supported");
                };
        return (image, layout) ->
                bool(compare(left.eval(image, layout), right.eval(image, layout)), holds);
    }

    private static boolean isArithmetic(BinaryExpression e) {
        return e instanceof Addition
                || e instanceof Subtraction
                || e instanceof Multiplication
                || e instanceof Division
                || e instanceof IntegerDivision
                || e instanceof Modulo;
    }

    private Node arithmetic(BinaryExpression e) {
        Node left = node(e.getLeftExpression());
        Node right = node(e.getRightExpression());
        return (image, layout) -> {
            Num l = Value.number(left.eval(image, layout));
            Num r = Value.number(right.eval(image, layout));
            if (l == null || r == null) {
                return null;
            }
            BigDecimal a = l.value();
            BigDecimal b = r.value();
            boolean byZero = b.signum() == 0;
            if (e instanceof Addition) {
                return new Num(a.add(b));
            } else if (e instanceof Subtraction) {
                return new Num(a.subtract(b));
            } else if (e instanceof Multiplication) {
                return new Num(a.multiply(b));
            } else if (e instanceof Division) {
                return byZero ? null : new Num(a.divide(b, MathContext.DECIMAL128));
            } else if (e instanceof IntegerDivision) {
                return byZero ? null : new Num(a.divideToIntegralValue(b));
            } else {
                return byZero ? null : new Num(a.remainder(b));
            }
        };
    }

    private Node in(InExpression in) {
        if (in.getRightExpression() instanceof net.sf.jsqlparser.statement.select.Select
                || !(in.getRightExpression() instanceof ExpressionList<?> list)) {
            throw new IllegalArgumentException(
                    "'" + in + "': IN takes a list of values here, not a subquery");
        }
        Node value = node(in.getLeftExpression());
        List<Node> candidates = new ArrayList<>();
        for (Object candidate : list) {
            candidates.add(coerced(node((Expression) candidate), value));
        }
        boolean negated = in.isNot();
        return (image, layout) -> {
            Value v = value.eval(image, layout);
            Value result = FALSE;
            for (Node candidate : candidates) {
                result = or(result, bool(compare(v, candidate.eval(image, layout)), c -> c == 0));
            }
            return negated ? not(result) : result;
        };
    }

    private Node like(LikeExpression like) {
        if (like.getLikeKeyWord() != LikeExpression.KeyWord.LIKE) {
            throw new IllegalArgumentException(
                    "'" + like + "': only LIKE is supported, not " + like.getLikeKeyWord());
        }
        Node value = node(like.getLeftExpression());
        Node pattern = node(like.getRightExpression());
        String escape =
                like.getEscape() == null
                        ? "\\"
                        : like.getEscape().toString().replaceAll("^'|'$", "");
        boolean negated = like.isNot();
        // a literal pattern (the usual case) is compiled once, for either kind of collation
        String literal = like.getRightExpression() instanceof StringValue s ? literal(s) : null;
        Pattern exact = literal == null ? null : likeRegex(literal, escape, false);
        Pattern folded = literal == null ? null : likeRegex(literal, escape, true);
        return (image, layout) -> {
            Value v = value.eval(image, layout);
            Value p = literal == null ? pattern.eval(image, layout) : null;
            if (v == null || (literal == null && p == null)) {
                return null;
            }
            boolean folds =
                    v instanceof Text t
                            && t.collation() != null
                            && t.collation().fold() != KeyText.Fold.NONE;
            Pattern regex =
                    literal == null
                            ? likeRegex(Value.text(p), escape, folds)
                            : folds ? folded : exact;
            return bool(regex.matcher(Value.text(v)).matches() != negated);
        };
    }

    /**
     * A text literal's value as MySQL reads it: {@code ''} is a quote, and a backslash escapes the
     * next character ({@code \n}, {@code \t}, {@code \0} as control characters), except before
     * {@code %} and {@code _}, where it stays for LIKE.
     */
    static String literal(StringValue s) {
        String raw = s.getValue().replace("''", "'");
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 == raw.length()) {
                out.append(c);
                continue;
            }
            char next = raw.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case '%', '_' -> out.append('\\').append(next);
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}

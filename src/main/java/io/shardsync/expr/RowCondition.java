package io.shardsync.expr;

import io.shardsync.model.Column;
import io.shardsync.model.KeyText;
import io.shardsync.model.SyncTable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
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
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

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
    /** A value during evaluation; SQL NULL is Java null. */
    private sealed interface Value permits Num, Text, Time {}

    private record Num(BigDecimal value) implements Value {}

    /** Text compared as {@code collation} says (null: a literal, which takes the other side's). */
    private record Text(String value, KeyText collation) implements Value {}

    /** A point in time as {@code yyyy-MM-dd HH:mm:ss.ffffff}. */
    private record Time(String value) implements Value {}

    /** A compiled node: its value in a row image whose columns are {@code layout}. */
    @FunctionalInterface
    private interface Node {
        Value eval(String[] image, String[] layout);
    }

    private static final Num TRUE = new Num(BigDecimal.ONE);
    private static final Num FALSE = new Num(BigDecimal.ZERO);
    private static final Pattern NUMBER_PREFIX =
            Pattern.compile("^\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern TEMPORAL =
            Pattern.compile(
                    "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,6}))?)?)?");

    private final String sql;
    private final Node root;
    private final Set<Integer> columns;

    private RowCondition(String sql, Node root, Set<Integer> columns) {
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
        Compiler compiler = new Compiler(table);
        Node root = compiler.node(parse(sql));
        return new RowCondition(sql, root, compiler.columns);
    }

    /** The indexes of the table's columns the condition names. */
    public Set<Integer> columns() {
        return columns;
    }

    private static Expression parse(String sql) {
        try {
            return CCJSqlParserUtil.parseCondExpression(sql, false); // all of it, not a prefix
        } catch (JSQLParserException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
            throw new IllegalArgumentException(
                    "'" + sql + "' is no SQL condition: " + message.lines().findFirst().orElse(""));
        }
    }

    /**
     * Whether the row matches: the condition is true (NULL and false do not), for an image whose
     * columns are {@code layout} (null: the table's own).
     */
    public boolean matches(String[] image, String[] layout) {
        return isTrue(root.eval(image, layout));
    }

    @Override
    public String toString() {
        return sql;
    }

    /** Turns the parsed expression into nodes, binding column names to the table's columns. */
    private static final class Compiler {
        private final SyncTable table;
        private final Set<Integer> columns = new TreeSet<>();

        Compiler(SyncTable table) {
            this.table = table;
        }

        Node node(Expression e) {
            if (e instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
                return node((Expression) list.get(0));
            }
            if (e instanceof net.sf.jsqlparser.schema.Column column) {
                return column(column.getColumnName());
            }
            if (e instanceof LongValue || e instanceof DoubleValue) {
                Num n = new Num(new BigDecimal(e.toString()));
                return (image, layout) -> n;
            }
            if (e instanceof StringValue s) {
                Text text = new Text(literal(s), null);
                return (image, layout) -> text;
            }
            if (e instanceof NullValue) {
                return (image, layout) -> null;
            }
            if (e instanceof BooleanValue b) {
                Num n = b.getValue() ? TRUE : FALSE;
                return (image, layout) -> n;
            }
            if (e instanceof CastExpression cast && cast.isImplicitCast()) {
                return temporalLiteral(cast);
            }
            if (e instanceof SignedExpression signed) {
                Node operand = node(signed.getExpression());
                boolean minus = signed.getSign() == '-';
                return (image, layout) -> {
                    Num n = number(operand.eval(image, layout));
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
                Node low = node(between.getBetweenExpressionStart());
                Node high = node(between.getBetweenExpressionEnd());
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
                            + "' is not supported in a row condition (columns, literals,"
                            + " comparisons, IN, BETWEEN, LIKE, IS NULL, NOT/AND/OR/XOR and"
                            + " arithmetic are)");
        }

        private Node column(String quotedName) {
            String name = quotedName.replace("`", "");
            if (name.equalsIgnoreCase("true") || name.equalsIgnoreCase("false")) {
                Num n = name.equalsIgnoreCase("true") ? TRUE : FALSE;
                return (image, layout) -> n;
            }
            List<Column> columns = table.columns();
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equalsIgnoreCase(name)) {
                    int index = i;
                    this.columns.add(index);
                    Column column = columns.get(i);
                    return (image, layout) -> {
                        int at = table.indexIn(layout, index);
                        return at < 0 ? null : valueOf(column, image[at]);
                    };
                }
            }
            throw new IllegalArgumentException(
                    "column '" + name + "' is not a column of " + table.qualifiedName());
        }

        private Node temporalLiteral(CastExpression cast) {
            String type = cast.getColDataType().getDataType().toUpperCase(Locale.ROOT);
            String text = cast.getLeftExpression() instanceof StringValue s ? s.getValue() : null;
            Time time = text == null ? null : time(text);
            if (!List.of("DATE", "TIMESTAMP", "DATETIME").contains(type) || time == null) {
                throw new IllegalArgumentException(
                        "'" + cast + "' is no DATE or TIMESTAMP literal of a valid point in time");
            }
            return (image, layout) -> time;
        }

        private Node comparison(ComparisonOperator comparison) {
            Node left = node(comparison.getLeftExpression());
            Node right = node(comparison.getRightExpression());
            String operator = comparison.getStringExpression();
            java.util.function.IntPredicate holds =
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
                Num l = number(left.eval(image, layout));
                Num r = number(right.eval(image, layout));
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
                candidates.add(node((Expression) candidate));
            }
            boolean negated = in.isNot();
            return (image, layout) -> {
                Value v = value.eval(image, layout);
                Value result = FALSE;
                for (Node candidate : candidates) {
                    result =
                            or(
                                    result,
                                    bool(compare(v, candidate.eval(image, layout)), c -> c == 0));
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
                                ? likeRegex(text(p), escape, folds)
                                : folds ? folded : exact;
                return bool(regex.matcher(text(v)).matches() != negated);
            };
        }
    }

    /**
     * A text literal's value as MySQL reads it: {@code ''} is a quote, and a backslash escapes the
     * next character ({@code \n}, {@code \t}, {@code \0} as control characters), except before
     * {@code %} and {@code _}, where it stays for LIKE.
     */
    private static String literal(StringValue s) {
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

    /** A column's canonical text as a value of its type. */
    private static Value valueOf(Column column, String text) {
        if (text == null) {
            return null;
        }
        return switch (column.dataType()) {
            case "tinyint",
                            "smallint",
                            "mediumint",
                            "int",
                            "bigint",
                            "decimal",
                            "float",
                            "double",
                            "year",
                            "bit" ->
                    new Num(new BigDecimal(text));
            case "date", "datetime", "timestamp" -> time(text);
            default ->
                    column.binding() == Column.Binding.HEX_BYTES
                            ? new Text(
                                    new String(
                                            HexFormat.of().parseHex(text),
                                            StandardCharsets.ISO_8859_1),
                                    KeyText.EXACT)
                            : new Text(text, column.keyText());
        };
    }

    /** A text as a point in time, padded to microseconds; null when it is none. */
    private static Time time(String text) {
        Matcher m = TEMPORAL.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        String fraction = m.group(7) == null ? "" : m.group(7);
        return new Time(
                String.format(
                        "%s-%02d-%02d %02d:%02d:%02d.%s",
                        m.group(1),
                        Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)),
                        m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                        m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
                        (fraction + "000000").substring(0, 6)));
    }

    /**
     * MySQL's comparison of two values: negative, zero or positive; null when either is NULL. A
     * number and a text compare as numbers, a point in time and a text as points in time (a text
     * that is none as text), two texts by the collation of the column among them.
     */
    private static Integer compare(Value a, Value b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof Time || b instanceof Time) {
            Time ta = a instanceof Time t ? t : a instanceof Text s ? time(s.value()) : null;
            Time tb = b instanceof Time t ? t : b instanceof Text s ? time(s.value()) : null;
            if (ta != null && tb != null) {
                return ta.value().compareTo(tb.value());
            }
            return text(a).compareTo(text(b));
        }
        if (a instanceof Num || b instanceof Num) {
            return number(a).value().compareTo(number(b).value());
        }
        Text ta = (Text) a;
        Text tb = (Text) b;
        KeyText collation = ta.collation() != null ? ta.collation() : tb.collation();
        if (collation == null) {
            collation = KeyText.EXACT;
        }
        return collation.canonical(ta.value()).compareTo(collation.canonical(tb.value()));
    }

    /** A value as a number: a text as the number it starts with (0 when none), as MySQL does. */
    private static Num number(Value v) {
        if (v == null || v instanceof Num) {
            return (Num) v;
        }
        String text = text(v);
        Matcher m = NUMBER_PREFIX.matcher(text);
        if (v instanceof Time) {
            return new Num(new BigDecimal(text.replaceAll("[^0-9.]", "")));
        }
        return new Num(m.find() ? new BigDecimal(m.group().strip()) : BigDecimal.ZERO);
    }

    private static String text(Value v) {
        if (v instanceof Num n) {
            return n.value().toPlainString();
        }
        return v instanceof Text t ? t.value() : ((Time) v).value();
    }

    private static boolean isTrue(Value v) {
        return v != null && number(v).value().signum() != 0;
    }

    private static Num bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    private static Num bool(Integer comparison, java.util.function.IntPredicate holds) {
        return comparison == null ? null : bool(holds.test(comparison));
    }

    private static Value not(Value v) {
        return v == null ? null : bool(!isTrue(v));
    }

    private static Value and(Value a, Value b) {
        if ((a != null && !isTrue(a)) || (b != null && !isTrue(b))) {
            return FALSE;
        }
        return a == null || b == null ? null : TRUE;
    }

    private static Value or(Value a, Value b) {
        if (isTrue(a) || isTrue(b)) {
            return TRUE;
        }
        return a == null || b == null ? null : FALSE;
    }

    /** LIKE's pattern as a regex: {@code %} any text, {@code _} one character, escapes kept. */
    private static Pattern likeRegex(String pattern, String escape, boolean folds) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape.length() == 1 && c == escape.charAt(0) && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(
                regex.toString(),
                Pattern.DOTALL | (folds ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }
}

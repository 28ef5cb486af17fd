package io.shardsync.expr;

import io.shardsync.model.Column;
import io.shardsync.model.KeyText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value while a row condition is evaluated, typed as MySQL compares it: a number, a text with the
 * collation it compares by, or a point in time. SQL NULL is Java null.
 */
sealed interface Value permits Value.Num, Value.Text, Value.Time {
    /** The number a text starts with, as MySQL reads a text as a number. */
    Pattern NUMBER_PREFIX = Pattern.compile("^\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /** A date, or a date and time with up to microseconds. */
    Pattern TEMPORAL =
            Pattern.compile(
                    "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,6}))?)?)?");

    record Num(BigDecimal value) implements Value {}

    /**
     * Text compared as {@code collation} says (null: a literal, which takes the other side's);
     * {@code folded} is the value in that collation's comparison form, made once.
     */
    record Text(String value, KeyText collation, String folded) implements Value {
        static Text of(String value, KeyText collation) {
            return new Text(
                    value, collation, collation == null ? null : collation.canonical(value));
        }

        /** The value as {@code comparison} compares it. */
        String foldedBy(KeyText comparison) {
            return comparison.equals(collation) ? folded : comparison.canonical(value);
        }
    }

    /** A point in time as {@code yyyy-MM-dd HH:mm:ss.ffffff}. */
    record Time(String value) implements Value {}

    /** How a column's values compare. */
    enum Kind {
        NUMBER,
        TIME,
        TEXT
    }

    static Kind kindOf(Column column) {
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
                    Kind.NUMBER;
            case "date", "datetime", "timestamp" -> Kind.TIME;
            default -> Kind.TEXT;
        };
    }

    /** A column's canonical text as a value of its type. */
    static Value of(Column column, String text) {
        if (text == null) {
            return null;
        }
        return switch (kindOf(column)) {
            case NUMBER -> new Num(new BigDecimal(text));
            case TIME -> time(text);
            case TEXT ->
                    column.binding() == Column.Binding.HEX_BYTES
                            ? Text.of(
                                    new String(
                                            HexFormat.of().parseHex(text),
                                            StandardCharsets.ISO_8859_1),
                                    KeyText.EXACT)
                            : Text.of(text, column.keyText());
        };
    }

    /** A text as a point in time, padded to microseconds; null when it is none. */
    static Time time(String text) {
        if (text.length() == 26 && text.charAt(10) == ' ' && text.charAt(19) == '.') {
            return new Time(text); // the job's canonical DATETIME/TIMESTAMP text already
        }
        Matcher m = TEMPORAL.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        String fraction = m.group(7) == null ? "" : m.group(7);
        StringBuilder time = new StringBuilder(26).append(m.group(1));
        time.append('-').append(twoDigits(m.group(2))).append('-').append(twoDigits(m.group(3)));
        time.append(' ').append(twoDigits(m.group(4))).append(':').append(twoDigits(m.group(5)));
        time.append(':').append(twoDigits(m.group(6))).append('.');
        return new Time(time.append((fraction + "000000"), 0, 6).toString());
    }

    private static String twoDigits(String group) {
        return group == null ? "00" : group.length() == 1 ? "0" + group : group;
    }

    /** A value as a number: a text as the number it starts with (0 when none), as MySQL does. */
    static Num number(Value v) {
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

    static String text(Value v) {
        if (v instanceof Num n) {
            return n.value().toPlainString();
        }
        return v instanceof Text t ? t.value() : ((Time) v).value();
    }
}

package io.shardsync.expr;

import io.shardsync.expr.Value.Num;
import io.shardsync.expr.Value.Text;
import io.shardsync.expr.Value.Time;
import io.shardsync.model.KeyText;
import java.math.BigDecimal;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/** MySQL's operators on condition values: comparison, truth with NULL's third value, LIKE. */
final class Operators {
    static final Num TRUE = new Num(BigDecimal.ONE);
    static final Num FALSE = new Num(BigDecimal.ZERO);

    private Operators() {}

    /**
     * MySQL's comparison of two values: negative, zero or positive; null when either is NULL. A
     * number and a text compare as numbers, a point in time and a text as points in time (a text
     * that is none as text), two texts by the collation of the column among them.
     */
    static Integer compare(Value a, Value b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof Time || b instanceof Time) {
            Time ta = a instanceof Time t ? t : a instanceof Text s ? Value.time(s.value()) : null;
            Time tb = b instanceof Time t ? t : b instanceof Text s ? Value.time(s.value()) : null;
            if (ta != null && tb != null) {
                return ta.value().compareTo(tb.value());
            }
            return Value.text(a).compareTo(Value.text(b));
        }
        if (a instanceof Num || b instanceof Num) {
            return Value.number(a).value().compareTo(Value.number(b).value());
        }
        Text ta = (Text) a;
        Text tb = (Text) b;
        KeyText collation = ta.collation() != null ? ta.collation() : tb.collation();
        if (collation == null) {
            collation = KeyText.EXACT;
        }
        return ta.foldedBy(collation).compareTo(tb.foldedBy(collation));
    }

    static boolean isTrue(Value v) {
        return v != null && Value.number(v).value().signum() != 0;
    }

    static Num bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    static Num bool(Integer comparison, IntPredicate holds) {
        return comparison == null ? null : bool(holds.test(comparison));
    }

    static Value not(Value v) {
        return v == null ? null : bool(!isTrue(v));
    }

    static Value and(Value a, Value b) {
        if ((a != null && !isTrue(a)) || (b != null && !isTrue(b))) {
            return FALSE;
        }
        return a == null || b == null ? null : TRUE;
    }

    static Value or(Value a, Value b) {
        if (isTrue(a) || isTrue(b)) {
            return TRUE;
        }
        return a == null || b == null ? null : FALSE;
    }

    /** LIKE's pattern as a regex: {@code %} any text, {@code _} one character, escapes kept. */
    static Pattern likeRegex(String pattern, String escape, boolean folds) {
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

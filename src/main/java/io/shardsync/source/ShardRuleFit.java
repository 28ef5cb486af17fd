package io.shardsync.source;

import io.shardsync.config.ConfigException;
import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a table's shard rule fits its shard key column, so the stream and verify's SQL place
 * every row alike. {@code range} takes integers and DECIMAL (compared as numbers) and DATE and
 * DATETIME (their canonical text sorts as they do). {@code map} takes integers and DECIMAL (as
 * numbers), DATE, and CHAR, VARCHAR and ENUM compared as the column's collation does: in a {@code
 * _ci} column {@code 'cn'} is the value {@code 'CN'}, so listing both is refused.
 */
final class ShardRuleFit {
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATETIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?)?");
    private static final Set<String> MAPPED_TEXT = Set.of("char", "varchar", "enum");

    private ShardRuleFit() {}

    /**
     * Checks the rule of {@code path} (tables[i], or tables[i].tableSharding), named {@code
     * ruleKey} there, against its key column.
     */
    static void check(String path, String ruleKey, ShardRule rule, Column key) {
        String problem =
                switch (rule.kind()) {
                    case MOD -> key.isInteger() ? null : "'mod' needs an integer shard key";
                    case HASH ->
                            key.canonicalSql("k") != null
                                    ? null
                                    : "'hash' needs a shard key whose text the job and SQL agree"
                                            + " on";
                    case RANGE ->
                            key.isExactNumber() || isDate(key)
                                    ? null
                                    : "'range' needs an integer, DECIMAL, DATE or DATETIME shard"
                                            + " key";
                    case MAP ->
                            key.isExactNumber()
                                            || key.dataType().equals("date")
                                            || MAPPED_TEXT.contains(key.dataType())
                                    ? null
                                    : "'map' needs an integer, DECIMAL, DATE, CHAR, VARCHAR or ENUM"
                                            + " shard key";
                };
        if (problem != null) {
            throw new ConfigException(
                    path + "." + ruleKey,
                    problem + "; '" + key.name() + "' is " + key.columnType() + hint(rule));
        }
        List<String> ranges = rule.ranges();
        for (int i = 0; i < ranges.size(); i++) {
            value(path + ".ranges[" + i + "]", key, ranges.get(i));
        }
        Map<String, String> seen = new HashMap<>();
        for (String value : rule.values().keySet()) {
            String same = seen.put(value(path + ".values." + value, key, value), value);
            if (same != null) {
                throw new ConfigException(
                        path + ".values." + value,
                        "the same value as '"
                                + same
                                + "' to "
                                + key.name()
                                + " ("
                                + key.columnType()
                                + (key.collation() == null ? "" : ", " + key.collation())
                                + ")");
            }
        }
    }

    private static String hint(ShardRule rule) {
        return switch (rule.kind()) {
            case MOD -> " (use 'hash')";
            case HASH -> " (use an integer, DECIMAL, text, binary, DATE or DATETIME column)";
            case RANGE, MAP -> " (use 'hash')";
        };
    }

    private static boolean isDate(Column key) {
        return key.dataType().equals("date") || key.dataType().equals("datetime");
    }

    /** A boundary or listed value in the form the key compares it; refused if not of its type. */
    private static String value(String path, Column key, String value) {
        if (key.isExactNumber()) {
            try {
                return new BigDecimal(value).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        path,
                        "'"
                                + value
                                + "' is no number, and "
                                + key.name()
                                + " is "
                                + key.columnType());
            }
        }
        if (isDate(key)) {
            Pattern format = key.dataType().equals("date") ? DATE : DATETIME;
            if (!format.matcher(value).matches() || !validDate(value)) {
                throw new ConfigException(
                        path,
                        "'"
                                + value
                                + "' is no "
                                + key.dataType()
                                + " like "
                                + (format == DATE
                                        ? "2024-01-31"
                                        : "2024-01-31 or 2024-01-31 12:00:00"));
            }
            return value;
        }
        return key.keyText().canonical(value);
    }

    private static boolean validDate(String value) {
        try {
            LocalDate.parse(value.substring(0, 10));
            if (value.length() > 10) {
                LocalDateTime.parse(value.replace(' ', 'T'));
            }
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}

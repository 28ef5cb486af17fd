package io.shardsync.model;

import java.io.Serializable;

/**
 * A column of a synced table, as the source's information_schema describes it: {@code collation} is
 * null for columns that are not text; a {@code generated} column is computed by every server from
 * the others, so it is read but never written.
 */
public record Column(
        String name,
        String dataType,
        String columnType,
        boolean nullable,
        String collation,
        boolean generated)
        implements Serializable {

    /** How a column's canonical text is bound when writing. */
    public enum Binding {
        TEXT,
        HEX_BYTES,
        BIT
    }

    public Binding binding() {
        return switch (dataType) {
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                    Binding.HEX_BYTES;
            case "bit" -> Binding.BIT;
            default -> Binding.TEXT;
        };
    }

    /** How MySQL compares this column's values as keys. */
    public KeyText keyText() {
        return KeyText.of(collation);
    }

    /**
     * SQL that renders this column's value as the job's canonical text ({@code
     * source.ValueConverter}), so the server computes what the job computes from it (the {@code
     * hash} rule: CRC32 of that text); null where the server's own text cannot match the job's:
     * approximate numbers, TIMESTAMP (rendered in the session's time zone), TIME, JSON.
     */
    public String canonicalSql(String quotedName) {
        return switch (dataType) {
            case "float", "double", "timestamp", "time", "json" -> null;
            case "datetime" -> "DATE_FORMAT(" + quotedName + ", '%Y-%m-%d %H:%i:%s.%f')";
            case "bit" -> "CAST(" + quotedName + " AS UNSIGNED)";
            default ->
                    switch (binding()) {
                        case HEX_BYTES -> "LOWER(HEX(" + quotedName + "))";
                        default ->
                                collation == null
                                        ? quotedName
                                        : "CONVERT(" + quotedName + " USING utf8mb4)";
                    };
        };
    }

    /**
     * The number in the column type's parentheses: the fraction digits of {@code datetime(6)}, the
     * width of {@code bit(12)}; {@code fallback} without one.
     */
    public int typeLength(int fallback) {
        int open = columnType.indexOf('(');
        if (open < 0) {
            return fallback;
        }
        return Integer.parseInt(columnType.substring(open + 1, columnType.indexOf(')', open)));
    }

    public boolean isInteger() {
        return switch (dataType) {
            case "tinyint", "smallint", "mediumint", "int", "bigint" -> true;
            default -> false;
        };
    }

    /** Integers and DECIMAL: values whose canonical text is an exact number. */
    public boolean isExactNumber() {
        return isInteger() || dataType.equals("decimal");
    }

    /** BIGINT UNSIGNED: values past 2^63, which a Java long holds only as negative. */
    public boolean isUnsignedBigint() {
        return dataType.equals("bigint") && columnType.contains("unsigned");
    }

    /**
     * Numbers, dates and times: values whose text holds digits, signs, '.', ':', '-', ' ' and 'e'.
     */
    public boolean isNumberOrTime() {
        return switch (dataType) {
            case "float", "double", "date", "datetime", "timestamp", "time", "year" -> true;
            default -> isExactNumber();
        };
    }

    public boolean isTemporal() {
        return dataType.equals("timestamp") || dataType.equals("datetime");
    }
}

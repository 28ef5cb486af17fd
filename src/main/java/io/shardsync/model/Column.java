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

    public boolean isInteger() {
        return switch (dataType) {
            case "tinyint", "smallint", "mediumint", "int", "bigint" -> true;
            default -> false;
        };
    }

    /** BIGINT UNSIGNED: values past 2^63, which a Java long holds only as negative. */
    public boolean isUnsignedBigint() {
        return dataType.equals("bigint") && columnType.contains("unsigned");
    }

    public boolean isTemporal() {
        return dataType.equals("timestamp") || dataType.equals("datetime");
    }
}

package io.shardsync.model;

import java.io.Serializable;

/** A column of a synced table, as the source's information_schema describes it. */
public record Column(String name, String dataType, String columnType, boolean nullable)
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

    public boolean isInteger() {
        return switch (dataType) {
            case "tinyint", "smallint", "mediumint", "int", "bigint" -> true;
            default -> false;
        };
    }

    public boolean isTemporal() {
        return dataType.equals("timestamp") || dataType.equals("datetime");
    }
}

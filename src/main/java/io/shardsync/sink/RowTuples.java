package io.shardsync.sink;

import io.shardsync.jdbc.Identifiers;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rows of a table in a statement: column lists, {@code (a, b) IN ((?, ?), ...)} tuples, and each
 * value bound from its canonical text as its column takes it (binary columns from hex, BIT as a
 * number).
 */
final class RowTuples {
    private static final HexFormat HEX = HexFormat.of();

    private RowTuples() {}

    static String tupleIn(SyncTable table, int[] columns, int rows) {
        String tuple = "(" + "?,".repeat(columns.length - 1) + "?)";
        return "("
                + columnList(table, columns)
                + ") IN ("
                + tuple
                + (", " + tuple).repeat(rows - 1)
                + ")";
    }

    static String columnList(SyncTable table, int[] columns) {
        return Arrays.stream(columns)
                .mapToObj(c -> Identifiers.quote(table.columns().get(c).name()))
                .collect(Collectors.joining(", "));
    }

    static int bindTuples(
            PreparedStatement statement,
            int p,
            SyncTable table,
            int[] columns,
            List<ChangeEvent> rows)
            throws SQLException {
        for (ChangeEvent row : rows) {
            for (int c : columns) {
                p = bind(statement, p, table.columns().get(c), row.after[c]);
            }
        }
        return p;
    }

    static int bind(PreparedStatement statement, int p, Column column, String value)
            throws SQLException {
        if (value == null) {
            statement.setNull(p, Types.VARCHAR);
            return p + 1;
        }
        switch (column.binding()) {
            case HEX_BYTES -> statement.setBytes(p, HEX.parseHex(value));
            case BIT -> statement.setLong(p, Long.parseUnsignedLong(value));
            default -> statement.setString(p, value);
        }
        return p + 1;
    }
}

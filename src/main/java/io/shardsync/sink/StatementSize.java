package io.shardsync.sink;

import io.shardsync.model.Column;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Keeps statements within the shard's {@code max_allowed_packet}: a multi-row statement takes rows
 * until a cheap upper bound of their size reaches half of it, and a row that cannot fit even alone
 * is refused before it is sent (the driver would drop the connection, and the retry would fail
 * alike forever). The bound counts every character as three bytes of UTF-8, each escaped.
 */
final class StatementSize {
    /** The statement's own text: the names, placeholders and clauses around the values. */
    private static final int STATEMENT_TEXT = 64 * 1024;

    private StatementSize() {}

    /** The largest statement the server behind the connection takes. */
    static long maxAllowedPacket(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@max_allowed_packet")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Consecutive batches of at most {@code rows} items and about half of {@code maxBytes}. */
    static <T> List<List<T>> batches(
            List<T> items, int rows, long maxBytes, Function<T, String[]> values) {
        List<List<T>> batches = new ArrayList<>();
        long budget = maxBytes / 2;
        int start = 0;
        long bytes = 0;
        for (int i = 0; i < items.size(); i++) {
            long size = upperBound(values.apply(items.get(i)));
            if (i > start && (i - start == rows || bytes + size > budget)) {
                batches.add(items.subList(start, i));
                start = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (start < items.size()) {
            batches.add(items.subList(start, items.size()));
        }
        return batches;
    }

    /**
     * Refuses a row that would not fit a statement of its own: its values as the driver sends them
     * (UTF-8 or bytes, with the escapes of quotes, backslashes and control bytes).
     */
    static void requireFits(String[] values, List<Column> columns, long maxBytes)
            throws SQLDataException {
        if (upperBound(values) + STATEMENT_TEXT < maxBytes) {
            return;
        }
        long bytes = STATEMENT_TEXT;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                bytes +=
                        escapedLength(
                                columns.get(i).binding() == Column.Binding.HEX_BYTES
                                        ? HexFormat.of().parseHex(values[i])
                                        : values[i].getBytes(StandardCharsets.UTF_8));
            }
        }
        if (bytes >= maxBytes) {
            throw new SQLDataException(
                    "the row takes about "
                            + bytes
                            + " bytes in a statement, more than the shard's max_allowed_packet ("
                            + maxBytes
                            + ")",
                    "22001");
        }
    }

    private static long upperBound(String[] values) {
        long bytes = 0;
        for (String value : values) {
            bytes += value == null ? 8 : 6L * value.length() + 8;
        }
        return bytes;
    }

    private static long escapedLength(byte[] bytes) {
        long length = bytes.length + 2;
        for (byte b : bytes) {
            if (b == 0 || b == '\'' || b == '"' || b == '\\' || b == '\n' || b == '\r' || b == 26) {
                length++;
            }
        }
        return length;
    }
}

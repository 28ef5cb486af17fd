package io.shardsync.scan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Cuts a table's key space into chunks: the key a given number of rows after a lower key. */
@FunctionalInterface
public interface KeyCutter {

    /**
     * The key {@code rows} rows after {@code lower} (exclusive; null: the table's start) in key
     * order, which is the upper key of a chunk of that many rows; null when fewer rows are left.
     */
    List<String> upperAfter(List<String> lower, long rows) throws SQLException;

    /** Cuts {@code sql}'s table as the server behind {@code c} holds it. */
    static KeyCutter of(Connection c, TableSql sql) {
        return (lower, rows) -> keyAt(c, sql, KeyScope.range(sql, lower, null), rows - 1);
    }

    /** The key at an offset (in key order) of a range; null past its end. */
    static List<String> keyAt(Connection c, TableSql sql, KeyScope range, long offset)
            throws SQLException {
        String query =
                "SELECT "
                        + sql.keyTexts()
                        + " FROM "
                        + sql.name()
                        + " WHERE "
                        + range.condition()
                        + " ORDER BY "
                        + sql.keyList()
                        + " LIMIT 1 OFFSET "
                        + offset;
        try (PreparedStatement statement = c.prepareStatement(query)) {
            range.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= sql.keyColumns().size(); i++) {
                    key.add(rs.getString(i));
                }
                return key;
            }
        }
    }
}

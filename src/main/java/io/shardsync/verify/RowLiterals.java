package io.shardsync.verify;

import io.shardsync.scan.KeyScope;
import io.shardsync.scan.TableSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One row read as SQL literals, column by column: what a repair statement writes, and what tells
 * the columns of a differing row apart.
 */
final class RowLiterals {
    private RowLiterals() {}

    /** Every column of the row as an SQL literal; empty when the row is gone. */
    static List<String> of(Connection c, TableSql sql, KeyScope one) throws SQLException {
        List<String> select = sql.table().columns().stream().map(sql::literal).toList();
        String query =
                "SELECT "
                        + String.join(", ", select)
                        + " FROM "
                        + sql.name()
                        + " WHERE "
                        + one.condition();
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement(query)) {
            one.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    for (int i = 1; i <= select.size(); i++) {
                        values.add(rs.getString(i));
                    }
                }
            }
        }
        return values;
    }
}

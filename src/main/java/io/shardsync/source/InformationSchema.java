package io.shardsync.source;

import io.shardsync.model.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Table definitions as a MySQL/MariaDB server's information_schema describes them. */
public final class InformationSchema {
    private InformationSchema() {}

    /** Columns in table order (lower-case types); empty when the table does not exist. */
    public static List<Column> columns(Connection connection, String database, String table)
            throws SQLException {
        String sql =
                "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, database);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.add(
                            new Column(
                                    rs.getString(1),
                                    rs.getString(2).toLowerCase(),
                                    rs.getString(3).toLowerCase(),
                                    "YES".equals(rs.getString(4))));
                }
            }
        }
        return columns;
    }

    /** Primary key column names, in key order; empty when there is none. */
    public static List<String> primaryKey(Connection connection, String database, String table)
            throws SQLException {
        String sql =
                "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
                        + " AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX";
        List<String> key = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, database);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }
}

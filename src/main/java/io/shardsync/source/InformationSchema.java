package io.shardsync.source;

import io.shardsync.model.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Table definitions as a MySQL/MariaDB server's information_schema describes them. */
public final class InformationSchema {
    private InformationSchema() {}

    /** Columns in table order (lower-case types); empty when the table does not exist. */
    public static List<Column> columns(Connection connection, String database, String table)
            throws SQLException {
        String sql =
                "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLLATION_NAME,"
                        + " COALESCE(GENERATION_EXPRESSION, '') <> '' FROM information_schema.COLUMNS"
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
                                    "YES".equals(rs.getString(4)),
                                    rs.getString(5),
                                    rs.getBoolean(6)));
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

    /** The UNIQUE keys other than the primary key: index name → column names in index order. */
    public static Map<String, List<String>> secondaryUniqueKeys(
            Connection connection, String database, String table) throws SQLException {
        String sql =
                "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
                        + " AND TABLE_NAME = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY'"
                        // a functional key part (MySQL 8) names no column: such keys are not known
                        + " AND COLUMN_NAME IS NOT NULL"
                        + " ORDER BY INDEX_NAME, SEQ_IN_INDEX";
        Map<String, List<String>> keys = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, database);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(rs.getString(2));
                }
            }
        }
        return keys;
    }

    /** Names of the table's FOREIGN KEY constraints. */
    public static List<String> foreignKeys(Connection connection, String database, String table)
            throws SQLException {
        String sql =
                "SELECT CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = ?"
                        + " AND TABLE_NAME = ? AND CONSTRAINT_TYPE = 'FOREIGN KEY' ORDER BY CONSTRAINT_NAME";
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, database);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}

package io.shardsync.source;

import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardRule;
import io.shardsync.config.SourceConfig;
import io.shardsync.config.TableConfig;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads each configured table's definition from the source and resolves the config against it:
 * primary key (detected when not given), shard key and version column. Errors name the config key.
 */
public final class SchemaLoader {
    private static final Set<String> UNSUPPORTED =
            Set.of(
                    "geometry",
                    "point",
                    "linestring",
                    "polygon",
                    "multipoint",
                    "multilinestring",
                    "multipolygon",
                    "geometrycollection");

    private SchemaLoader() {}

    public static Connection connect(SourceConfig source) throws SQLException {
        return DriverManager.getConnection(
                source.jdbcUrl() + "?connectionTimeZone=" + source.serverTimeZone(),
                source.user(),
                source.password().resolve());
    }

    /**
     * The synced tables as the first source defines them; every other source must define them
     * alike, since their changes are merged into the same rows.
     */
    public static List<SyncTable> load(JobConfig config) throws SQLException {
        List<SyncTable> tables = new ArrayList<>();
        for (int s = 0; s < config.sources().size(); s++) {
            try (Connection connection = connect(config.sources().get(s))) {
                for (int i = 0; i < config.tables().size(); i++) {
                    String path = "tables[" + i + "]";
                    SyncTable table = resolve(path, config.tables().get(i), connection);
                    if (s == 0) {
                        tables.add(table);
                    } else if (!table.columns().equals(tables.get(i).columns())) {
                        throw new ConfigException(
                                "sources[" + s + "]",
                                table.qualifiedName()
                                        + " has other columns than at sources[0]: "
                                        + table.columns()
                                        + " vs "
                                        + tables.get(i).columns());
                    }
                }
            }
        }
        return List.copyOf(tables);
    }

    static SyncTable resolve(String path, TableConfig table, Connection connection)
            throws SQLException {
        List<Column> columns =
                InformationSchema.columns(connection, table.database(), table.table());
        if (columns.isEmpty()) {
            throw new ConfigException(
                    path + ".table",
                    "table '" + table.qualifiedName() + "' not found at the source");
        }
        for (Column column : columns) {
            if (UNSUPPORTED.contains(column.dataType())) {
                throw new ConfigException(
                        path + ".table",
                        "column '" + column.name() + "' has unsupported type " + column.dataType());
            }
        }
        List<String> keyColumns =
                table.primaryKey().isEmpty()
                        ? InformationSchema.primaryKey(connection, table.database(), table.table())
                        : table.primaryKey();
        if (keyColumns.isEmpty()) {
            throw new ConfigException(
                    path + ".primaryKey",
                    table.qualifiedName() + " has no primary key at the source; name one");
        }
        SyncTable shell =
                new SyncTable(
                        table.database(),
                        table.table(),
                        columns,
                        new int[0],
                        -1,
                        table.shardRule(),
                        -1,
                        null);
        int[] keyIndexes = new int[keyColumns.size()];
        for (int k = 0; k < keyIndexes.length; k++) {
            keyIndexes[k] = columnIndex(path + ".primaryKey[" + k + "]", shell, keyColumns.get(k));
        }
        int shardKeyIndex = -1;
        if (table.shardKey() != null) {
            shardKeyIndex = columnIndex(path + ".shardKey", shell, table.shardKey());
            if (table.shardRule() == ShardRule.MOD && !columns.get(shardKeyIndex).isInteger()) {
                throw new ConfigException(
                        path + ".shardRule",
                        "'mod' needs an integer shard key; '"
                                + table.shardKey()
                                + "' is "
                                + columns.get(shardKeyIndex).columnType()
                                + " (use 'hash')");
            }
        }
        int versionIndex = -1;
        if (table.versionColumn() != null) {
            versionIndex = columnIndex(path + ".versionColumn", shell, table.versionColumn());
            Column version = columns.get(versionIndex);
            if (!version.isInteger() && !version.isTemporal()) {
                throw new ConfigException(
                        path + ".versionColumn",
                        "'"
                                + version.name()
                                + "' is "
                                + version.columnType()
                                + "; a version column is an integer, TIMESTAMP or DATETIME");
            }
        }
        return new SyncTable(
                table.database(),
                table.table(),
                columns,
                keyIndexes,
                shardKeyIndex,
                table.shardRule(),
                versionIndex,
                createStatement(connection, table));
    }

    private static int columnIndex(String path, SyncTable table, String column) {
        int index = table.indexOf(column);
        if (index < 0) {
            throw new ConfigException(
                    path, "column '" + column + "' not in " + table.qualifiedName());
        }
        return index;
    }

    private static String createStatement(Connection connection, TableConfig table)
            throws SQLException {
        try (PreparedStatement statement =
                        connection.prepareStatement(
                                "SHOW CREATE TABLE `"
                                        + table.database()
                                        + "`.`"
                                        + table.table()
                                        + "`");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getString(2);
        }
    }
}

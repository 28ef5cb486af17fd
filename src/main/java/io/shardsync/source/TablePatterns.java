package io.shardsync.source;

import io.shardsync.config.ConfigException;
import io.shardsync.config.TableConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * The config's table entries, each naming one table: an entry with {@code databasePattern} or
 * {@code tablePattern} stands for every base table at the source whose names it matches when the
 * job starts (a table created later is synced from the job's next start on, snapshot first). The
 * shadow tables of online schema changes ({@code _t_new}, {@code _t_gho}, …) are never matched.
 */
final class TablePatterns {
    /** An entry of one table and the config path it comes from ({@code tables[i]}). */
    record Entry(String path, TableConfig table) {}

    private static final Pattern SHADOW_TABLE = Pattern.compile("_.+_(new|old|gho|ghc|del)");

    private TablePatterns() {}

    /**
     * One entry per synced table, in config order (a pattern's tables by name).
     *
     * @throws ConfigException when a pattern matches no table, or two entries name one table
     */
    static List<Entry> expand(List<TableConfig> configs, Connection source) throws SQLException {
        List<String[]> sourceTables = null;
        List<Entry> entries = new ArrayList<>();
        Map<String, String> namedBy = new HashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            TableConfig config = configs.get(i);
            String path = "tables[" + i + "]";
            List<TableConfig> tables = new ArrayList<>();
            if (!config.byPattern()) {
                tables.add(config);
            } else {
                sourceTables = sourceTables == null ? baseTables(source) : sourceTables;
                BiPredicate<String, String> named = config.namedTables();
                for (String[] table : sourceTables) {
                    if (named.test(table[0], table[1])) {
                        tables.add(named(path, config, table[0], table[1]));
                    }
                }
                if (tables.isEmpty()) {
                    throw new ConfigException(
                            path
                                    + (config.tablePattern() != null
                                            ? ".tablePattern"
                                            : ".databasePattern"),
                            "matches no table at the source");
                }
            }
            for (TableConfig table : tables) {
                String other = namedBy.putIfAbsent(table.qualifiedName(), path);
                if (other != null) {
                    throw new ConfigException(
                            path,
                            table.qualifiedName()
                                    + " is named by "
                                    + other
                                    + " too; each table is synced by one entry");
                }
                entries.add(new Entry(path, table));
            }
        }
        return entries;
    }

    private static TableConfig named(
            String path, TableConfig config, String database, String table) {
        try {
            return config.named(database, table);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".changes.topic", e.getMessage());
        }
    }

    /** The source's base tables outside the system schemas, as [database, table]. */
    private static List<String[]> baseTables(Connection source) throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (PreparedStatement statement =
                        source.prepareStatement(
                                "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                                        + " WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN"
                                        + " ('mysql', 'information_schema', 'performance_schema',"
                                        + " 'sys', 'shardsync') ORDER BY 1, 2");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                if (!SHADOW_TABLE.matcher(rs.getString(2)).matches()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        return tables;
    }
}

package io.shardsync.source;

import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.config.SourceConfig;
import io.shardsync.config.TableConfig;
import io.shardsync.config.TableSharding;
import io.shardsync.expr.RowCondition;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /**
     * The synced tables as the first schema server defines them (the first binlog source, else the
     * first kafka source's {@code schemaFrom}); every other one must define them alike, since their
     * changes are merged into the same rows.
     */
    public static List<SyncTable> load(JobConfig config) throws SQLException {
        List<SyncTable> tables = new ArrayList<>();
        List<SourceConfig> servers = config.schemaServers();
        List<TablePatterns.Entry> entries;
        try (Connection connection = Connections.source(servers.get(0))) {
            entries = TablePatterns.expand(config.tables(), connection);
        }
        for (SourceConfig server : servers) {
            try (Connection connection = Connections.source(server)) {
                for (int i = 0; i < entries.size(); i++) {
                    TablePatterns.Entry entry = entries.get(i);
                    SyncTable table = resolve(entry.path(), entry.table(), connection);
                    if (tables.size() < entries.size()) {
                        tables.add(table);
                    } else if (!table.columns().equals(tables.get(i).columns())) {
                        throw new ConfigException(
                                "sources",
                                "source '"
                                        + server.id()
                                        + "': "
                                        + table.qualifiedName()
                                        + " has other columns than at source '"
                                        + servers.get(0).id()
                                        + "': "
                                        + table.columns()
                                        + " vs "
                                        + tables.get(i).columns());
                    }
                }
            }
        }
        requireMergeable(entries, tables, config.namedShards().size());
        return List.copyOf(tables);
    }

    /**
     * Source tables written to one target table are merged into it: they must be written to the
     * same tables on every shard, with the same columns, key, shard and table rules and a version
     * column (which orders a key's rows across them). Any other overlap is refused.
     */
    private static void requireMergeable(
            List<TablePatterns.Entry> entries, List<SyncTable> tables, int shardCount) {
        for (int shard = 0; shard < shardCount; shard++) {
            Map<String, Integer> writers = new HashMap<>();
            for (int i = 0; i < tables.size(); i++) {
                for (SyncTable target : tables.get(i).targetsOn(shard)) {
                    Integer other = writers.putIfAbsent(target.qualifiedName(), i);
                    if (other != null && other != i) {
                        String problem = mergeProblem(tables.get(other), tables.get(i), shardCount);
                        if (problem != null) {
                            throw new ConfigException(
                                    entries.get(i).path() + ".target",
                                    tables.get(i).qualifiedName()
                                            + " and "
                                            + tables.get(other).qualifiedName()
                                            + " are both written to "
                                            + target.qualifiedName()
                                            + ", so they are merged there, but "
                                            + problem);
                        }
                    }
                }
            }
        }
    }

    /** Why two source tables cannot be merged into one target; null when they can. */
    private static String mergeProblem(SyncTable a, SyncTable b, int shardCount) {
        for (int shard = 0; shard < shardCount; shard++) {
            if (!names(a.targetsOn(shard)).equals(names(b.targetsOn(shard)))) {
                return "not to the same tables on every shard";
            }
        }
        SyncTable x = a.written();
        SyncTable y = b.written();
        if (!x.columns().equals(y.columns())) {
            return "their written columns differ";
        }
        if (!Arrays.equals(x.keyIndexes(), y.keyIndexes())
                || x.shardKeyIndex() != y.shardKeyIndex()
                || !x.shardRule().equals(y.shardRule())
                || !Objects.equals(x.layout().tables(), y.layout().tables())
                || x.layout().tableKeyIndex() != y.layout().tableKeyIndex()) {
            return "their primary keys, shard keys or rules differ";
        }
        if (x.versionIndex() < 0 || x.versionIndex() != y.versionIndex()) {
            return "they need one versionColumn, which orders a key's rows across them";
        }
        return null;
    }

    private static List<String> names(List<SyncTable> tables) {
        return tables.stream().map(SyncTable::qualifiedName).toList();
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
        List<String> primaryKey =
                InformationSchema.primaryKey(connection, table.database(), table.table());
        List<String> keyColumns = table.primaryKey().isEmpty() ? primaryKey : table.primaryKey();
        if (keyColumns.isEmpty()) {
            throw new ConfigException(
                    path + ".primaryKey",
                    table.qualifiedName() + " has no primary key at the source; name one");
        }
        Map<String, List<String>> uniqueKeys =
                InformationSchema.secondaryUniqueKeys(connection, table.database(), table.table());
        if (!primaryKey.isEmpty()) {
            uniqueKeys.put("PRIMARY", primaryKey);
        }
        requireUniqueKey(path, table, columns, keyColumns, uniqueKeys);
        SyncTable shell =
                new SyncTable(
                        table.database(),
                        table.table(),
                        columns,
                        new int[0],
                        -1,
                        table.shardRule(),
                        -1,
                        List.of(),
                        null,
                        table.schemaChanges());
        int[] keyIndexes = new int[keyColumns.size()];
        for (int k = 0; k < keyIndexes.length; k++) {
            keyIndexes[k] = columnIndex(path + ".primaryKey[" + k + "]", shell, keyColumns.get(k));
        }
        int shardKeyIndex = -1;
        if (table.shardKey() != null) {
            shardKeyIndex = columnIndex(path + ".shardKey", shell, table.shardKey());
            ShardRuleFit.check(path, "shardRule", table.shardRule(), columns.get(shardKeyIndex));
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
        List<int[]> otherUniqueKeys = new ArrayList<>();
        for (List<String> unique : uniqueKeys.values()) {
            if (!sameColumns(unique, keyColumns)) {
                otherUniqueKeys.add(
                        unique.stream().mapToInt(c -> columnIndex(path, shell, c)).toArray());
            }
        }
        SyncTable synced =
                new SyncTable(
                        table.database(),
                        table.table(),
                        columns,
                        keyIndexes,
                        shardKeyIndex,
                        table.shardRule(),
                        versionIndex,
                        List.copyOf(otherUniqueKeys),
                        createStatement(connection, table),
                        table.schemaChanges(),
                        table.where(),
                        layout(path, table, shell));
        if (table.where() != null) {
            try {
                RowCondition.compile(table.where(), synced);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path + ".where", e.getMessage());
            }
        }
        if (table.columns().none()) {
            return synced;
        }
        TargetLayout layout = synced.layout();
        return synced.withLayout(
                new TargetLayout(
                        layout.target(),
                        layout.tables(),
                        layout.tableKeyIndex(),
                        ColumnMappings.resolve(path, table.columns(), synced, connection)));
    }

    /**
     * Where the table's rows go on the shards, its table key and rule checked against the column.
     */
    private static TargetLayout layout(String path, TableConfig table, SyncTable shell) {
        TableSharding tables = table.tableSharding();
        if (tables == null) {
            return new TargetLayout(table.target(), null, -1);
        }
        String at = path + ".tableSharding";
        int keyIndex = columnIndex(at + ".key", shell, tables.key());
        ShardRuleFit.check(at, "rule", tables.rule(), shell.columns().get(keyIndex));
        return new TargetLayout(table.target(), tables, keyIndex);
    }

    /**
     * The key the job names rows by must be one to MySQL too: a PRIMARY or UNIQUE key of NOT NULL
     * columns. Rows sharing the values of any other column list would collapse into one.
     */
    private static void requireUniqueKey(
            String path,
            TableConfig table,
            List<Column> columns,
            List<String> keyColumns,
            Map<String, List<String>> uniqueKeys) {
        for (List<String> unique : uniqueKeys.values()) {
            boolean notNull =
                    unique.stream()
                            .allMatch(
                                    name ->
                                            columns.stream()
                                                    .anyMatch(
                                                            c ->
                                                                    c.name().equalsIgnoreCase(name)
                                                                            && !c.nullable()));
            if (sameColumns(unique, keyColumns) && notNull) {
                return;
            }
        }
        throw new ConfigException(
                path + ".primaryKey",
                keyColumns
                        + " is not a PRIMARY or UNIQUE key of NOT NULL columns of "
                        + table.qualifiedName()
                        + ": rows with equal values would collapse into one row on the shards;"
                        + " add such a key at the source or name one");
    }

    /** Whether two column lists name the same columns, in any order and case. */
    public static boolean sameColumns(List<String> a, List<String> b) {
        return a.size() == b.size()
                && a.stream()
                        .map(String::toLowerCase)
                        .toList()
                        .containsAll(b.stream().map(String::toLowerCase).toList());
    }

    static int columnIndex(String path, SyncTable table, String column) {
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
            return withoutForeignKeys(rs.getString(2));
        }
    }

    /**
     * The shards' copy of a table has no FOREIGN KEY: a row and the row it references may sit on
     * different shards, and are committed by different subtasks in any order; the source keeps the
     * references intact.
     */
    static String withoutForeignKeys(String createStatement) {
        List<String> lines = new ArrayList<>();
        for (String line : createStatement.split("\n")) {
            if (line.contains(" FOREIGN KEY ")) {
                continue;
            }
            if (line.startsWith(")") && lines.get(lines.size() - 1).endsWith(",")) {
                String last = lines.remove(lines.size() - 1);
                lines.add(last.substring(0, last.length() - 1));
            }
            lines.add(line);
        }
        return String.join("\n", lines);
    }
}

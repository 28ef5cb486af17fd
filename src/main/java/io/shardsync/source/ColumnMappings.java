package io.shardsync.source;

import io.shardsync.config.ColumnTransforms;
import io.shardsync.config.ConfigException;
import io.shardsync.expr.RowExpression;
import io.shardsync.jdbc.Identifiers;
import io.shardsync.model.Column;
import io.shardsync.model.ColumnMapping;
import io.shardsync.model.SyncTable;
import java.sql.Connection;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves a table entry's {@code columns} against the source table: the written columns (included,
 * not excluded), renamed, then the computed ones, whose types the source server gives (the type of
 * {@code SELECT expression FROM table}); and the statement that creates such a table. The columns
 * that name, place or order rows must be written; each target name is used once.
 */
final class ColumnMappings {
    private ColumnMappings() {}

    /** The mapping of {@code table} (its key, shard, version, table-key columns resolved). */
    static ColumnMapping resolve(
            String path, ColumnTransforms transforms, SyncTable table, Connection connection)
            throws SQLException {
        String at = path + ".columns";
        List<Column> source = table.columns();
        for (String name : transforms.exclude()) {
            SchemaLoader.columnIndex(at + ".exclude", table, name);
        }
        if (transforms.include() != null) {
            transforms
                    .include()
                    .forEach(name -> SchemaLoader.columnIndex(at + ".include", table, name));
        }
        Map<Integer, String> needed = neededColumns(table);
        List<Column> columns = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < source.size(); i++) {
            Column column = source.get(i);
            if (!written(transforms, column.name())) {
                if (needed.containsKey(i)) {
                    throw new ConfigException(
                            at,
                            "'"
                                    + column.name()
                                    + "' is the "
                                    + needed.get(i)
                                    + " column; it must be written");
                }
                continue;
            }
            String name = renamed(transforms, column.name());
            columns.add(
                    new Column(
                            name,
                            column.dataType(),
                            column.columnType(),
                            column.nullable(),
                            column.collation(),
                            false)); // a generated column's value is written as it is
            from.add(i);
            requireNew(at + ".rename", names, name);
        }
        for (String renamed : transforms.rename().keySet()) {
            int index = SchemaLoader.columnIndex(at + ".rename", table, renamed);
            if (!written(transforms, source.get(index).name())) {
                throw new ConfigException(
                        at + ".rename." + renamed, "'" + renamed + "' is not written");
            }
        }
        List<String> expressions = new ArrayList<>(Arrays.asList(new String[columns.size()]));
        for (Map.Entry<String, String> computed : transforms.computed().entrySet()) {
            String key = at + ".computed." + computed.getKey();
            try {
                RowExpression.compile(computed.getValue(), table);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, e.getMessage());
            }
            requireNew(key, names, computed.getKey());
            columns.add(
                    computedColumn(key, computed.getKey(), computed.getValue(), table, connection));
            from.add(-1);
            expressions.add(computed.getValue());
        }
        ColumnMapping mapping =
                new ColumnMapping(
                        List.copyOf(columns),
                        from.stream().mapToInt(Integer::intValue).toArray(),
                        expressions,
                        "");
        return new ColumnMapping(
                mapping.columns(),
                mapping.from(),
                mapping.expressions(),
                createStatement(table, mapping));
    }

    /** The source columns a row must keep on the shards, by index, with their role. */
    private static Map<Integer, String> neededColumns(SyncTable table) {
        Map<Integer, String> needed = new LinkedHashMap<>();
        Arrays.stream(table.keyIndexes()).forEach(k -> needed.put(k, "primary key"));
        needed.putIfAbsent(table.shardKeyIndex(), "shard key");
        needed.putIfAbsent(table.versionIndex(), "version");
        needed.putIfAbsent(table.layout().tableKeyIndex(), "tableSharding key");
        needed.remove(-1);
        return needed;
    }

    private static boolean written(ColumnTransforms transforms, String name) {
        return transforms.include() == null
                ? transforms.exclude().stream().noneMatch(name::equalsIgnoreCase)
                : transforms.include().stream().anyMatch(name::equalsIgnoreCase);
    }

    private static String renamed(ColumnTransforms transforms, String name) {
        return transforms.rename().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(name);
    }

    private static void requireNew(String path, Set<String> names, String name) {
        if (!names.add(name.toLowerCase(Locale.ROOT))) {
            throw new ConfigException(path, "a second column named '" + name + "'");
        }
    }

    /** A computed column of the type the source server gives the expression. */
    private static Column computedColumn(
            String path, String name, String expression, SyncTable table, Connection connection)
            throws SQLException {
        ResultSetMetaData meta;
        String dataType;
        String columnType;
        try (Statement statement = connection.createStatement()) {
            meta =
                    statement
                            .executeQuery(
                                    "SELECT ("
                                            + expression
                                            + ") FROM "
                                            + Identifiers.name(table)
                                            + " LIMIT 0")
                            .getMetaData();
            dataType = meta.getColumnTypeName(1).toLowerCase(Locale.ROOT);
            columnType =
                    columnType(dataType, meta.getPrecision(1), meta.getScale(1), meta.isSigned(1));
        } catch (SQLException e) {
            throw new ConfigException(path, "the source refuses it: " + e.getMessage());
        }
        if (columnType == null) {
            throw new ConfigException(
                    path,
                    "its type at the source is "
                            + dataType
                            + "; a computed column is a number, a text, a DATE or a DATETIME");
        }
        String baseType = columnType.replaceAll("[ (].*", "");
        boolean text = baseType.contains("char") || baseType.endsWith("text");
        return new Column(
                name, baseType, columnType, true, text ? "utf8mb4_general_ci" : null, false);
    }

    private static String columnType(String dataType, int precision, int scale, boolean signed) {
        return switch (dataType) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" ->
                    // with the display width the server gives: information_schema shows it
                    (dataType.equals("integer") ? "int" : dataType)
                            + "("
                            + precision
                            + ")"
                            + (signed ? "" : " unsigned");
            case "decimal" -> "decimal(" + Math.min(65, precision) + "," + scale + ")";
            case "double", "float" -> "double";
            case "varchar", "char" ->
                    precision <= 16_383 ? "varchar(" + precision + ")" : "longtext";
            case "date" -> "date";
            case "datetime", "timestamp" -> scale == 0 ? "datetime" : "datetime(" + scale + ")";
            default -> null;
        };
    }

    /** CREATE TABLE of the written columns under the source table's name, with its keys. */
    private static String createStatement(SyncTable table, ColumnMapping mapping) {
        List<String> lines = new ArrayList<>();
        for (Column column : mapping.columns()) {
            lines.add(
                    "  "
                            + Identifiers.quote(column.name())
                            + " "
                            + column.columnType()
                            + (column.collation() == null
                                    ? ""
                                    : " CHARACTER SET "
                                            + column.collation().replaceAll("_.*", "")
                                            + " COLLATE "
                                            + column.collation())
                            + (column.nullable() ? " NULL" : " NOT NULL"));
        }
        lines.add("  PRIMARY KEY (" + keyList(mapping, table.keyIndexes()) + ")");
        int u = 0;
        for (int[] unique : table.uniqueKeys()) {
            if (Arrays.stream(unique).allMatch(c -> mapping.targetOf(c) >= 0)) {
                lines.add(
                        "  UNIQUE KEY "
                                + Identifiers.quote("shardsync_unique_" + u++)
                                + " ("
                                + keyList(mapping, unique)
                                + ")");
            }
        }
        return "CREATE TABLE "
                + Identifiers.quote(table.table())
                + " (\n"
                + String.join(",\n", lines)
                + "\n)";
    }

    private static String keyList(ColumnMapping mapping, int[] keys) {
        return Arrays.stream(keys)
                .mapToObj(k -> Identifiers.quote(mapping.columns().get(mapping.targetOf(k)).name()))
                .collect(Collectors.joining(", "));
    }
}

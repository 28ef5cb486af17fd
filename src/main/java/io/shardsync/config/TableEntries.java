package io.shardsync.config;

import io.shardsync.expr.RowCondition;
import io.shardsync.expr.RowExpression;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code tables} list: each entry's names or patterns, keys, shard rule, version column,
 * schema-change policy, change topic, row condition, tables per shard, target names and column
 * transforms, each checked with its key path.
 */
final class TableEntries {
    /** Catches a typo; each table of a shard is created, checked and verified on its own. */
    private static final int MAX_TABLES_PER_SHARD = 1024;

    private TableEntries() {}

    static List<TableConfig> parse(
            ConfigNode node,
            DeliveryMode delivery,
            int sourceCount,
            boolean kafkaSource,
            int shardCount,
            SchemaChanges schemaChanges,
            ChangeTopics changeTopics) {
        List<TableConfig> tables = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ConfigNode table : node.elements()) {
            table.allowOnly(
                    "database",
                    "databasePattern",
                    "table",
                    "tablePattern",
                    "primaryKey",
                    "shardKey",
                    "shardRule",
                    "ranges",
                    "values",
                    "default",
                    "versionColumn",
                    "schemaChanges",
                    "changes",
                    "where",
                    "tableSharding",
                    "target",
                    "columns");
            String databasePattern = pattern(table, "database");
            String tablePattern = pattern(table, "table");
            String database = databasePattern == null ? table.requiredIdentifier("database") : null;
            String name = tablePattern == null ? table.requiredIdentifier("table") : null;
            boolean byPattern = databasePattern != null || tablePattern != null;
            if (!byPattern && !seen.add(database + "." + name)) {
                throw table.at("table").error("table listed twice");
            }
            List<String> primaryKey = new ArrayList<>();
            for (ConfigNode column : table.optional("primaryKey").elements()) {
                primaryKey.add(column.identifier());
            }
            String versionColumn = table.identifier("versionColumn");
            if (versionColumn == null && delivery == DeliveryMode.IDEMPOTENT) {
                throw table.at("versionColumn")
                        .error(
                                "missing; delivery 'idempotent' guards writes by a version column"
                                        + " stored in the row (use 'exactly-once' for tables"
                                        + " without one)");
            }
            if (versionColumn == null && kafkaSource) {
                throw table.at("versionColumn")
                        .error(
                                "missing; a kafka source's changes arrive in the topic's order,"
                                        + " which is not the source's (a topic not partitioned by"
                                        + " key, several topics): a version column orders a row's"
                                        + " changes");
            }
            if (versionColumn == null && sourceCount > 1) {
                throw table.at("versionColumn")
                        .error(
                                "missing; with several sources a version column orders a row's"
                                        + " changes (binlog positions of different servers do not"
                                        + " compare)");
            }
            tables.add(
                    new TableConfig(
                            database,
                            name,
                            List.copyOf(primaryKey),
                            table.identifier("shardKey"),
                            ShardRules.parse(
                                    table,
                                    ShardRules.SHARDS,
                                    shardCount,
                                    table.at("shardKey").present(),
                                    "shardKey"),
                            versionColumn,
                            SchemaChanges.parse(table, schemaChanges),
                            byPattern
                                    ? changeTopics.patternTemplate(table)
                                    : changeTopics.of(table, database, name),
                            where(table),
                            databasePattern,
                            tablePattern,
                            tableSharding(table, table.identifier("shardKey")),
                            target(table.at("target")),
                            columns(table.at("columns"))));
        }
        if (tables.isEmpty()) {
            throw node.error("at least one table is needed");
        }
        return List.copyOf(tables);
    }

    /**
     * A table entry's {@code databasePattern} or {@code tablePattern} (for {@code key} database or
     * table), checked to compile; null when the entry names it instead. Exactly one of the two.
     */
    private static String pattern(ConfigNode table, String key) {
        String pattern = table.text(key + "Pattern", null);
        if ((pattern == null) == !table.at(key).present()) {
            throw table.at(key).error("give exactly one of '" + key + "' and '" + key + "Pattern'");
        }
        if (pattern != null) {
            try {
                java.util.regex.Pattern.compile(pattern);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw table.at(key + "Pattern")
                        .error("not a Java regular expression: " + e.getDescription());
            }
        }
        return pattern;
    }

    /**
     * A table entry's {@code tableSharding} (or a reshard's new one for an entry with {@code
     * shardKey}); null without one.
     */
    static TableSharding tableSharding(ConfigNode table, String shardKey) {
        ConfigNode node = table.at("tableSharding");
        if (!node.present()) {
            return null;
        }
        node.allowOnly("count", "key", "rule", "ranges", "values", "default", "name");
        node.required("count");
        int count = node.intValue("count", 0, 2, MAX_TABLES_PER_SHARD);
        if (shardKey == null) {
            throw node.error(
                    "needs a shardKey: the tables of a table on every shard would each be on"
                            + " every shard");
        }
        String key = node.identifier("key");
        ShardRule rule = ShardRules.parse(node, ShardRules.TABLES, count, true, "key");
        NameTemplate name =
                NameTemplate.parse(
                        node.at("name"),
                        new NameTemplate("{table}_{index}"),
                        NameTemplate.samples(
                                Set.of("database", "table"), Set.of("index", "shard")));
        if (!name.names("index")) {
            throw node.at("name")
                    .error("names no {index}: the tables of a shard would all have one name");
        }
        return new TableSharding(count, key == null ? shardKey : key, rule, name);
    }

    /** A table entry's {@code target}: its templates, the source's names where absent. */
    private static TargetTemplate target(ConfigNode node) {
        node.allowOnly("database", "table");
        return new TargetTemplate(
                NameTemplate.parse(
                        node.at("database"),
                        TargetTemplate.SOURCE_NAMES.database(),
                        NameTemplate.samples(Set.of("database", "table"), Set.of("shard"))),
                NameTemplate.parse(
                        node.at("table"),
                        TargetTemplate.SOURCE_NAMES.table(),
                        NameTemplate.samples(Set.of("database", "table"), Set.of())));
    }

    /**
     * A table entry's {@code columns}: {@code include} or {@code exclude}, {@code rename}, {@code
     * computed}, each expression checked to parse (its columns are checked with the schema).
     */
    private static ColumnTransforms columns(ConfigNode node) {
        if (!node.present()) {
            return ColumnTransforms.NONE;
        }
        node.allowOnly("include", "exclude", "rename", "computed");
        if (node.at("include").present() && node.at("exclude").present()) {
            throw node.at("exclude").error("give 'include' or 'exclude', not both");
        }
        List<String> include =
                node.at("include").present() ? identifiers(node.at("include")) : null;
        Map<String, String> rename = new LinkedHashMap<>();
        if (node.at("rename").present()) {
            node.at("rename").fields().forEach((from, to) -> rename.put(from, to.identifier()));
        }
        Map<String, String> computed = new LinkedHashMap<>();
        if (node.at("computed").present()) {
            node.at("computed")
                    .fields()
                    .forEach(
                            (name, expression) -> {
                                String sql = node.at("computed").text(name, null);
                                try {
                                    RowExpression.checkSyntax(sql);
                                } catch (IllegalArgumentException e) {
                                    throw expression.error(e.getMessage());
                                }
                                computed.put(name, sql);
                            });
        }
        return new ColumnTransforms(include, identifiers(node.at("exclude")), rename, computed);
    }

    private static List<String> identifiers(ConfigNode list) {
        List<String> names = new ArrayList<>();
        for (ConfigNode element : list.elements()) {
            names.add(element.identifier());
        }
        return names;
    }

    /** A table's row condition, checked to parse (its columns are checked with the schema). */
    private static String where(ConfigNode table) {
        String where = table.text("where", null);
        if (where != null) {
            try {
                RowCondition.checkSyntax(where);
            } catch (IllegalArgumentException e) {
                throw table.at("where").error(e.getMessage());
            }
        }
        return where;
    }
}

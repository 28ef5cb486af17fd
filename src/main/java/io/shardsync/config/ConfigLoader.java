package io.shardsync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.shardsync.expr.RowCondition;
import io.shardsync.expr.RowExpression;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a job YAML into a {@link JobConfig}. Everything that can be checked without a connection is
 * checked here; every error names the key path and the bad value. Unknown keys are errors, so a
 * typo never silently falls back to a default.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Catches a typo; each table of a shard is created, checked and verified on its own. */
    private static final int MAX_TABLES_PER_SHARD = 1024;

    private ConfigLoader() {}

    /**
     * Reads the config at {@code location}: a file path, {@code classpath:<resource>} (e.g. a file
     * baked into the job jar) or a URL ({@code file:}, {@code http:}, {@code https:}), so a
     * Kubernetes ConfigMap mount, a jar resource or a config server all work.
     */
    public static JobConfig load(String location) throws IOException {
        try (InputStream in = open("--config", location)) {
            return load(in);
        }
    }

    /**
     * Reads a placement file ({@code --mode reshard --to FILE}): a {@code shards:} list as in a job
     * config, the shards a reshard moves the rows to.
     */
    public static List<ShardConfig> loadShards(String location) throws IOException {
        try (InputStream in = open("--to", location)) {
            JsonNode root = YAML.readTree(in);
            if (root == null || !root.isObject()) {
                throw new ConfigException("--to", "expected a YAML mapping with a shards: list");
            }
            ConfigNode node = new ConfigNode("", root);
            node.allowOnly("shards");
            return shards(node.required("shards"), List.of());
        }
    }

    private static InputStream open(String option, String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
            InputStream in =
                    Thread.currentThread().getContextClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new ConfigException(
                        option, "no resource '" + resource + "' on the classpath");
            }
            return in;
        }
        if (location.matches("(?i)(file|https?):.*")) {
            return URI.create(location).toURL().openStream();
        }
        Path file = Path.of(location);
        if (!Files.isReadable(file)) {
            throw new ConfigException(option, "cannot read file '" + location + "'");
        }
        return Files.newInputStream(file);
    }

    public static JobConfig load(InputStream yaml) throws IOException {
        JsonNode root = YAML.readTree(yaml);
        if (root == null || !root.isObject()) {
            throw new ConfigException("(root)", "expected a YAML mapping");
        }
        return parse(new ConfigNode("", root));
    }

    static JobConfig parse(ConfigNode root) {
        root.allowOnly(
                "name",
                "sources",
                "shards",
                "newShards",
                "tables",
                "delivery",
                "mergeMode",
                "parallelism",
                "checkpointInterval",
                "outOfOrderness",
                "sourceIdleness",
                "tombstoneRetention",
                "sink",
                "controlDatabase",
                "kafka",
                "conflicts",
                "latency",
                "changes",
                "schemaChanges");
        int parallelism = root.intValue("parallelism", Defaults.PARALLELISM, 1, 1024);
        ConfigNode sourcesNode = root.required("sources");
        List<SourceConfig> sources = new ArrayList<>();
        List<KafkaSourceConfig> kafkaSources = new ArrayList<>();
        Sources.parse(sourcesNode, parallelism, sources, kafkaSources);
        List<ShardConfig> shards = shards(root.required("shards"), List.of());
        ConfigNode newShardsNode = root.optional("newShards");
        List<ShardConfig> newShards =
                newShardsNode.present() ? shards(newShardsNode, shards) : List.of();
        DeliveryMode delivery =
                root.enumValue("delivery", DeliveryMode.values(), Defaults.DELIVERY);
        SchemaChanges schemaChanges =
                SchemaChanges.parse(root, SchemaChanges.of(Defaults.SCHEMA_CHANGES));
        KafkaConfig kafka = kafka(root.optional("kafka"));
        List<TableConfig> tables =
                tables(
                        root.required("tables"),
                        delivery,
                        sources.size() + kafkaSources.size(),
                        !kafkaSources.isEmpty(),
                        shards.size(),
                        schemaChanges,
                        ChangeTopics.parse(root.optional("changes"), kafka));
        ConfigNode sinkNode = root.optional("sink");
        sinkNode.allowOnly("batchSize", "flushInterval", "commitRetention", "unreachableAfter");
        SinkConfig sink =
                new SinkConfig(
                        sinkNode.intValue("batchSize", Defaults.BATCH_SIZE, 1, 100_000),
                        sinkNode.duration("flushInterval", Defaults.FLUSH_INTERVAL),
                        sinkNode.duration("commitRetention", Defaults.COMMIT_RETENTION),
                        sinkNode.duration("unreachableAfter", Defaults.UNREACHABLE_AFTER));
        ControlDatabaseConfig control =
                controlDatabase(root.optional("controlDatabase"), sink.commitRetention());
        ConfigNode conflicts = root.optional("conflicts");
        conflicts.allowOnly("table", "topic");
        ConfigNode latency = root.optional("latency");
        latency.allowOnly("sampleEvery", "table", "topic");
        return new JobConfig(
                root.text("name", Defaults.NAME),
                List.copyOf(sources),
                List.copyOf(kafkaSources),
                shards,
                newShards,
                tables,
                delivery,
                root.enumValue("mergeMode", MergeMode.values(), Defaults.MERGE_MODE),
                parallelism,
                root.duration("checkpointInterval", Defaults.CHECKPOINT_INTERVAL),
                root.duration("outOfOrderness", Defaults.OUT_OF_ORDERNESS),
                root.duration("sourceIdleness", Defaults.SOURCE_IDLENESS),
                root.duration("tombstoneRetention", Defaults.TOMBSTONE_RETENTION),
                sink,
                control,
                kafka,
                destinations(conflicts, control, kafka),
                destinations(latency, control, kafka),
                latency.intValue(
                        "sampleEvery", Defaults.LATENCY_SAMPLE_EVERY, 1, Integer.MAX_VALUE));
    }

    /**
     * A list of shards, named apart from {@code others} (a job's shards, for its newShards), whose
     * default names ({@code shard-<i>}) they continue.
     */
    private static List<ShardConfig> shards(ConfigNode node, List<ShardConfig> others) {
        List<ShardConfig> shards = new ArrayList<>();
        Set<String> names = new HashSet<>(ShardConfig.names(others));
        for (ConfigNode shard : node.elements()) {
            shard.allowOnly("name", "url", "user", "password");
            String url = jdbcUrl(shard.required("url"));
            String name = shard.text("name", "shard-" + (others.size() + shards.size()));
            if (!names.add(name)) {
                throw shard.at("name").error("duplicate shard name");
            }
            shards.add(
                    new ShardConfig(
                            name,
                            url,
                            shard.requiredText("user"),
                            secret(shard.required("password"))));
        }
        if (shards.isEmpty()) {
            throw node.error("at least one shard is needed");
        }
        return List.copyOf(shards);
    }

    private static ControlDatabaseConfig controlDatabase(
            ConfigNode node, Duration commitRetention) {
        if (!node.present()) {
            return null;
        }
        node.allowOnly(
                "url", "user", "password", "database", "conflictRetention", "latencyRetention");
        return new ControlDatabaseConfig(
                jdbcUrl(node.required("url")),
                node.requiredText("user"),
                secret(node.required("password")),
                Objects.requireNonNullElse(node.identifier("database"), Defaults.CONTROL_DATABASE),
                node.duration("conflictRetention", Defaults.CONFLICT_RETENTION),
                node.duration("latencyRetention", Defaults.LATENCY_RETENTION),
                commitRetention);
    }

    private static KafkaConfig kafka(ConfigNode node) {
        if (!node.present()) {
            return null;
        }
        node.allowOnly("bootstrapServers", "transactionTimeout");
        return new KafkaConfig(
                node.requiredText("bootstrapServers"),
                node.duration("transactionTimeout", Defaults.KAFKA_TRANSACTION_TIMEOUT));
    }

    /** A side output's destinations; its table defaults to on when there is a control database. */
    private static Destinations destinations(
            ConfigNode node, ControlDatabaseConfig control, KafkaConfig kafka) {
        boolean table = node.bool("table", control != null);
        if (table && control == null) {
            throw node.at("table").error("needs a controlDatabase");
        }
        String topic = node.text("topic", null);
        if (topic != null && kafka == null) {
            throw node.at("topic").error("needs a kafka section");
        }
        return new Destinations(table, topic);
    }

    private static String jdbcUrl(ConfigNode url) {
        if (!url.json().asText().startsWith("jdbc:mariadb:")
                && !url.json().asText().startsWith("jdbc:mysql:")) {
            throw url.error("expected a jdbc:mariadb: or jdbc:mysql: URL");
        }
        return url.json().asText();
    }

    private static List<TableConfig> tables(
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
                            tableSharding(table),
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

    /** A table entry's {@code tableSharding}; null without one. */
    private static TableSharding tableSharding(ConfigNode table) {
        ConfigNode node = table.at("tableSharding");
        if (!node.present()) {
            return null;
        }
        node.allowOnly("count", "key", "rule", "ranges", "values", "default", "name");
        node.required("count");
        int count = node.intValue("count", 0, 2, MAX_TABLES_PER_SHARD);
        String shardKey = table.identifier("shardKey");
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
        return new TableSharding(
                count, key == null ? table.identifier("shardKey") : key, rule, name);
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

    static Secret secret(ConfigNode node) {
        node.allowOnly("env", "file");
        String env = node.text("env", null);
        String file = node.text("file", null);
        if ((env == null) == (file == null)) {
            throw node.error(
                    "give exactly one of 'env' (variable name) or 'file' (path);"
                            + " passwords are never written in the config");
        }
        return new Secret(env, file);
    }
}

package io.shardsync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a job YAML into a {@link JobConfig}. Everything that can be checked without a connection is
 * checked here; every error names the key path and the bad value. Unknown keys are errors, so a
 * typo never silently falls back to a default.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
     * Reads a reshard's new placement ({@code --to}): its {@code shards:} list and, for entries
     * whose rules change, a {@code tables:} list ({@link TableRoutes}), kept as text until read
     * with the job's config.
     */
    public static PlacementFile loadPlacement(String location) throws IOException {
        try (InputStream in = open("--to", location)) {
            JsonNode root = YAML.readTree(in);
            if (root == null || !root.isObject()) {
                throw new ConfigException("--to", "expected a YAML mapping with a shards: list");
            }
            ConfigNode node = new ConfigNode("", root);
            node.allowOnly("shards", "tables");
            return new PlacementFile(
                    shards(node.required("shards"), List.of()),
                    TableRoutes.text(root.get("tables")));
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
                TableEntries.parse(
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

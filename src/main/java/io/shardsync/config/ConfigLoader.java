package io.shardsync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a job YAML into a {@link JobConfig}. Everything that can be checked without a connection is
 * checked here; every error names the key path and the bad value. Unknown keys are errors, so a
 * typo never silently falls back to a default.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SERVER_IDS = Pattern.compile("(\\d+)-(\\d+)");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_$]+");

    private ConfigLoader() {}

    public static JobConfig load(InputStream yaml) throws IOException {
        JsonNode root = YAML.readTree(yaml);
        if (root == null || !root.isObject()) {
            throw new ConfigException("(root)", "expected a YAML mapping");
        }
        return parse(new Node("", root));
    }

    static JobConfig parse(Node root) {
        root.allowOnly(
                "name",
                "source",
                "shards",
                "tables",
                "delivery",
                "mergeMode",
                "parallelism",
                "checkpointInterval",
                "outOfOrderness",
                "sourceIdleness",
                "tombstoneRetention",
                "sink");
        int parallelism = root.intValue("parallelism", Defaults.PARALLELISM, 1, 1024);
        SourceConfig source = source(root.required("source"), parallelism);
        List<ShardConfig> shards = shards(root.required("shards"));
        DeliveryMode delivery =
                root.enumValue("delivery", DeliveryMode.values(), Defaults.DELIVERY);
        List<TableConfig> tables = tables(root.required("tables"), delivery);
        Node sinkNode = root.optional("sink");
        sinkNode.allowOnly("batchSize", "flushInterval", "commitRetention");
        SinkConfig sink =
                new SinkConfig(
                        sinkNode.intValue("batchSize", Defaults.BATCH_SIZE, 1, 100_000),
                        sinkNode.duration("flushInterval", Defaults.FLUSH_INTERVAL),
                        sinkNode.duration("commitRetention", Defaults.COMMIT_RETENTION));
        return new JobConfig(
                root.text("name", Defaults.NAME),
                source,
                shards,
                tables,
                delivery,
                root.enumValue("mergeMode", MergeMode.values(), Defaults.MERGE_MODE),
                parallelism,
                root.duration("checkpointInterval", Defaults.CHECKPOINT_INTERVAL),
                root.duration("outOfOrderness", Defaults.OUT_OF_ORDERNESS),
                root.duration("sourceIdleness", Defaults.SOURCE_IDLENESS),
                root.duration("tombstoneRetention", Defaults.TOMBSTONE_RETENTION),
                sink);
    }

    private static SourceConfig source(Node node, int parallelism) {
        node.allowOnly(
                "id",
                "host",
                "port",
                "user",
                "password",
                "serverIdRange",
                "serverTimeZone",
                "splitSize");
        Node ids = node.required("serverIdRange");
        Matcher range = SERVER_IDS.matcher(ids.json.asText());
        if (!range.matches()) {
            throw ids.error("expected 'start-end', e.g. 5400-5403");
        }
        int start = Integer.parseInt(range.group(1));
        int end = Integer.parseInt(range.group(2));
        if (end - start + 1 < parallelism) {
            throw ids.error(
                    "holds "
                            + Math.max(0, end - start + 1)
                            + " server ids; the source needs one per subtask (parallelism "
                            + parallelism
                            + ")");
        }
        return new SourceConfig(
                node.text("id", Defaults.SOURCE_ID),
                node.requiredText("host"),
                node.intValue("port", 3306, 1, 65535),
                node.requiredText("user"),
                secret(node.required("password")),
                start,
                end,
                node.text("serverTimeZone", Defaults.SERVER_TIME_ZONE),
                node.intValue("splitSize", Defaults.SPLIT_SIZE, 1, 10_000_000));
    }

    private static List<ShardConfig> shards(Node node) {
        List<ShardConfig> shards = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node shard : node.elements()) {
            shard.allowOnly("name", "url", "user", "password");
            Node url = shard.required("url");
            if (!url.json.asText().startsWith("jdbc:mariadb:")
                    && !url.json.asText().startsWith("jdbc:mysql:")) {
                throw url.error("expected a jdbc:mariadb: or jdbc:mysql: URL");
            }
            String name = shard.text("name", "shard-" + shards.size());
            if (!names.add(name)) {
                throw shard.at("name").error("duplicate shard name");
            }
            shards.add(
                    new ShardConfig(
                            name,
                            url.json.asText(),
                            shard.requiredText("user"),
                            secret(shard.required("password"))));
        }
        if (shards.isEmpty()) {
            throw node.error("at least one shard is needed");
        }
        return List.copyOf(shards);
    }

    private static List<TableConfig> tables(Node node, DeliveryMode delivery) {
        List<TableConfig> tables = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node table : node.elements()) {
            table.allowOnly(
                    "database", "table", "primaryKey", "shardKey", "shardRule", "versionColumn");
            String database = table.requiredIdentifier("database");
            String name = table.requiredIdentifier("table");
            if (!seen.add(database + "." + name)) {
                throw table.at("table").error("table listed twice");
            }
            List<String> primaryKey = new ArrayList<>();
            for (Node column : table.optional("primaryKey").elements()) {
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
            tables.add(
                    new TableConfig(
                            database,
                            name,
                            List.copyOf(primaryKey),
                            table.identifier("shardKey"),
                            table.enumValue("shardRule", ShardRule.values(), Defaults.SHARD_RULE),
                            versionColumn));
        }
        if (tables.isEmpty()) {
            throw node.error("at least one table is needed");
        }
        return List.copyOf(tables);
    }

    private static Secret secret(Node node) {
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

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A YAML node with its key path, so every error can name where it is. */
    record Node(String path, JsonNode json) {

        ConfigException error(String problem) {
            String value = json == null || json.isMissingNode() ? "" : " (got '" + json + "')";
            return new ConfigException(path.isEmpty() ? "(root)" : path, problem + value);
        }

        Node at(String key) {
            String child = path.isEmpty() ? key : path + "." + key;
            return new Node(child, json == null ? null : json.get(key));
        }

        boolean present() {
            return json != null && !json.isNull() && !json.isMissingNode();
        }

        Node required(String key) {
            Node child = at(key);
            if (!child.present()) {
                throw new ConfigException(child.path, "required key is missing");
            }
            return child;
        }

        Node optional(String key) {
            return at(key);
        }

        void allowOnly(String... keys) {
            if (!present()) {
                return;
            }
            if (!json.isObject()) {
                throw error("expected a mapping");
            }
            List<String> allowed = Arrays.asList(keys);
            for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    throw new ConfigException(
                            at(key).path, "unknown key (allowed: " + String.join(", ", keys) + ")");
                }
            }
        }

        List<Node> elements() {
            if (!present()) {
                return List.of();
            }
            if (!json.isArray()) {
                throw error("expected a list");
            }
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < json.size(); i++) {
                nodes.add(new Node(path + "[" + i + "]", json.get(i)));
            }
            return nodes;
        }

        String text(String key, String fallback) {
            Node child = at(key);
            if (!child.present()) {
                return fallback;
            }
            if (!child.json.isValueNode() || child.json.asText().isBlank()) {
                throw child.error("expected a non-empty text");
            }
            return child.json.asText();
        }

        String requiredText(String key) {
            required(key);
            return text(key, null);
        }

        String identifier() {
            String value = json.asText();
            if (!json.isTextual() || !IDENTIFIER.matcher(value).matches()) {
                throw error("expected a MySQL identifier (letters, digits, _ and $)");
            }
            return value;
        }

        String identifier(String key) {
            Node child = at(key);
            return child.present() ? child.identifier() : null;
        }

        String requiredIdentifier(String key) {
            return required(key).identifier();
        }

        int intValue(String key, int fallback, int min, int max) {
            Node child = at(key);
            if (!child.present()) {
                return fallback;
            }
            if (!child.json.canConvertToInt() || !child.json.isIntegralNumber()) {
                throw child.error("expected an integer");
            }
            int value = child.json.asInt();
            if (value < min || value > max) {
                throw child.error("expected an integer in [" + min + ", " + max + "]");
            }
            return value;
        }

        Duration duration(String key, Duration fallback) {
            Node child = at(key);
            if (!child.present()) {
                return fallback;
            }
            Duration value = parseDuration(child.json.asText());
            if (value == null || value.isZero()) {
                throw child.error("expected a positive duration like 500ms, 5s, 2m, 1h or 7d");
            }
            return value;
        }

        <E extends Enum<E> & ConfigName> E enumValue(String key, E[] values, E fallback) {
            Node child = at(key);
            if (!child.present()) {
                return fallback;
            }
            List<String> names = new ArrayList<>();
            for (E value : values) {
                String name = value.configName();
                if (name.equals(child.json.asText())) {
                    return value;
                }
                names.add(name);
            }
            throw child.error("expected one of " + String.join(", ", names));
        }
    }
}

package io.shardsync.config;

import static io.shardsync.config.ConfigYaml.VALID;
import static io.shardsync.config.ConfigYaml.error;
import static io.shardsync.config.ConfigYaml.load;
import static io.shardsync.config.ConfigYaml.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @Test
    void readsAValidConfigAndFillsDefaults() throws IOException {
        JobConfig config = load(VALID);
        assertEquals("shardsync", config.name());
        assertEquals(
                List.of("shard-0", "east"),
                config.shards().stream().map(ShardConfig::name).toList());
        assertEquals(DeliveryMode.EXACTLY_ONCE, config.delivery());
        assertEquals(ShardRule.MOD, config.tables().get(0).shardRule());
        assertEquals(List.of(), config.tables().get(0).primaryKey());
        assertEquals(Duration.ofSeconds(3), config.checkpointInterval());
        assertEquals(Defaults.OUT_OF_ORDERNESS, config.outOfOrderness());
        assertEquals("source-1", config.singleSource().id());
        assertEquals("5400-5401", config.singleSource().serverIdRange());
        assertEquals("env:CDC_PASSWORD", config.singleSource().password().toString());
        assertEquals(Defaults.SNAPSHOT_STALL_TIMEOUT, config.singleSource().snapshotStallTimeout());
        assertEquals(new Destinations(false, null), config.conflicts());
        assertEquals(Defaults.UNREACHABLE_AFTER, config.sink().unreachableAfter());
    }

    @Test
    void theDocumentedDemoConfigIsValid() throws IOException {
        assertEquals(2, ConfigLoader.load("jobs-config/demo.yaml").shards().size());
    }

    @Test
    void readsTheConfigFromAFileAUrlOrTheClasspath(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("job.yaml"), VALID);
        assertEquals(2, ConfigLoader.load(file.toString()).parallelism());
        assertEquals(2, ConfigLoader.load(file.toUri().toString()).parallelism());
        assertEquals(2, ConfigLoader.load("classpath:jobs/valid.yaml").parallelism());
        assertEquals(
                "--config: cannot read file 'nope.yaml'",
                assertThrows(ConfigException.class, () -> ConfigLoader.load("nope.yaml"))
                        .getMessage());
        assertEquals(
                "--config: no resource 'nope.yaml' on the classpath",
                assertThrows(ConfigException.class, () -> ConfigLoader.load("classpath:nope.yaml"))
                        .getMessage());
    }

    @Test
    void namesTheKeyPathOfEachError() {
        assertEquals(
                "tables[0].shardRule: expected one of mod, hash, range, map (got '\"modulo\"')",
                error(rule("shardRule: modulo")));
        assertEquals(
                "sources[0].serverIdRange: holds 2 server ids; the source needs one per subtask"
                        + " (parallelism 4) (got '\"5400-5401\"')",
                error(VALID.replace("parallelism: 2", "parallelism: 4")));
        assertEquals(
                "shards[1].url: expected a jdbc:mariadb: or jdbc:mysql: URL (got '\"postgres://x\"')",
                error(VALID.replace("jdbc:mariadb://127.0.0.1:3309/", "postgres://x")));
        assertEquals(
                "checkpointInterval: expected a positive duration like 500ms, 5s, 2m, 1h or 7d"
                        + " (got '\"soon\"')",
                error(VALID.replace("3s", "soon")));
        assertEquals(
                "sources[0].snapshotStallTimeout: expected a positive duration like 500ms, 5s, 2m,"
                        + " 1h or 7d (got '\"0s\"')",
                error(
                        VALID.replace(
                                "    serverIdRange:",
                                "    snapshotStallTimeout: 0s\n    serverIdRange:")));
        assertEquals(
                "sources[0].host: required key is missing",
                error(VALID.replace("  - host: 127.0.0.1\n", "  - port: 3306\n")));
    }

    @Test
    void rejectsUnknownKeysAndInlinePasswords() {
        assertEquals(
                "tables[0].shardkey: unknown key (allowed: database, databasePattern, table, tablePattern, primaryKey, shardKey,"
                        + " shardRule, ranges, values, default, versionColumn, schemaChanges, changes,"
                        + " where, tableSharding, target, columns)",
                error(VALID.replace("shardKey:", "shardkey:")));
        String message = error(VALID.replace("{env: CDC_PASSWORD}", "{value: hunter2}"));
        assertEquals("sources[0].password.value: unknown key (allowed: env, file)", message);
    }

    @Test
    void idempotentDeliveryNeedsAVersionColumn() {
        String yaml = VALID.replace("    versionColumn: version\n", "") + "delivery: idempotent\n";
        assertEquals(
                "tables[0].versionColumn: missing; delivery 'idempotent' guards writes by a version"
                        + " column stored in the row (use 'exactly-once' for tables without one)",
                error(yaml));
    }

    @Test
    void severalSourcesNeedDistinctIdsAndAVersionColumn() throws IOException {
        String second =
                "  - id: east\n    host: 127.0.0.2\n    user: cdc\n"
                        + "    password: {env: CDC_PASSWORD}\n    serverIdRange: 5400-5401\n";
        String twoSources = VALID.replace("shards:\n", second + "shards:\n");
        assertEquals(
                List.of("source-1", "east"),
                load(twoSources).sources().stream().map(SourceConfig::id).toList());
        assertEquals(
                "sources[1].id: duplicate source id (got '\"source-1\"')",
                error(twoSources.replace("id: east", "id: source-1")));
        assertEquals(
                "tables[0].versionColumn: missing; with several sources a version column orders a"
                        + " row's changes (binlog positions of different servers do not compare)",
                error(twoSources.replace("    versionColumn: version\n", "")));
        assertEquals(
                "sources: this mode compares one source with the shards; the config has 2",
                assertThrows(ConfigException.class, () -> load(twoSources).singleSource())
                        .getMessage());
    }

    @Test
    void sideOutputDestinationsNeedTheirServers() throws IOException {
        String control =
                "controlDatabase:\n  url: jdbc:mariadb://127.0.0.1:3308/\n  user: writer\n"
                        + "  password: {env: CONTROL_PASSWORD}\n";
        JobConfig config = load(VALID + control + "latency:\n  table: false\n");
        assertEquals(new Destinations(true, null), config.conflicts());
        assertEquals(new Destinations(false, null), config.latency());
        assertEquals("shardsync_control", config.controlDatabase().database());
        assertEquals(
                "conflicts.table: needs a controlDatabase (got 'true')",
                error(VALID + "conflicts:\n  table: true\n"));
        assertEquals(
                "latency.topic: needs a kafka section (got '\"lat\"')",
                error(VALID + "latency:\n  topic: lat\n"));
        assertEquals(
                "latency.sampleEvery: expected an integer in [1, 2147483647] (got '0')",
                error(VALID + "latency:\n  sampleEvery: 0\n"));
    }

    @Test
    void newShardsContinueTheShardsNames() throws IOException {
        JobConfig config = ConfigLoader.load("jobs-config/demo.yaml");
        assertEquals(List.of("shard-2", "shard-3"), ShardConfig.names(config.newShards()));
        assertEquals(
                List.of("shard-0", "shard-1", "shard-2", "shard-3"),
                ShardConfig.names(config.namedShards()));
        assertEquals(
                "newShards[0].name: duplicate shard name (got '\"east\"')",
                error(
                        VALID
                                + "newShards:\n  - name: east\n    url: jdbc:mariadb://h:1/\n"
                                + "    user: w\n    password: {env: W}\n"));
    }

    @Test
    void controlDatabaseRetentionHasDefaultsAndIsValidated() throws IOException {
        String control =
                "controlDatabase:\n  url: jdbc:mariadb://127.0.0.1:3308/\n  user: writer\n"
                        + "  password: {env: CONTROL_PASSWORD}\n";
        ControlDatabaseConfig defaults = load(VALID + control).controlDatabase();
        assertEquals(Duration.ofDays(30), defaults.conflictRetention());
        assertEquals(Duration.ofDays(7), defaults.latencyRetention());
        assertEquals(Duration.ofDays(7), defaults.commitRetention());
        ControlDatabaseConfig set =
                load(VALID
                                + control
                                + "  conflictRetention: 90d\n  latencyRetention: 1h\n"
                                + "sink:\n  commitRetention: 2d\n")
                        .controlDatabase();
        assertEquals(Duration.ofDays(90), set.conflictRetention());
        assertEquals(Duration.ofHours(1), set.latencyRetention());
        assertEquals(
                Duration.ofDays(2), set.commitRetention(), "sync_commits: sink.commitRetention");
        assertEquals(
                "controlDatabase.latencyRetention: expected a positive duration like 500ms, 5s, 2m,"
                        + " 1h or 7d (got '\"forever\"')",
                error(VALID + control + "  latencyRetention: forever\n"));
    }

    @Test
    void rejectsDuplicateShardNames() {
        assertEquals(
                "shards[1].name: duplicate shard name (got '\"shard-0\"')",
                error(VALID.replace("name: east", "name: shard-0")));
    }

    @Test
    void changeTopicsResolvePerTableAndAreCheckedBeforeAnyConnection() throws IOException {
        String kafka = "kafka:\n  bootstrapServers: 127.0.0.1:9092\n";
        String twoTables =
                VALID.replace(
                                "    versionColumn: version\n",
                                "    versionColumn: version\n"
                                        + "  - database: app\n    table: audit\n"
                                        + "  - database: app\n    table: users\n"
                                        + "    changes: {topic: users.cdc}\n")
                        + kafka;
        assertEquals(
                List.of("cdc.app.orders", "cdc.app.audit", "users.cdc"),
                topics(load(twoTables + "changes:\n  topic: cdc.{database}.{table}\n")));
        JobConfig config =
                load(
                        twoTables.replace(
                                        "table: audit",
                                        "table: audit\n    changes: {publish: false}")
                                + "changes:\n  topic: cdc.{database}.{table}\n");
        assertEquals(Arrays.asList("cdc.app.orders", null, "users.cdc"), topics(config));
        assertEquals(Arrays.asList(null, null, "users.cdc"), topics(load(twoTables)));
        assertEquals(null, load(VALID).tables().get(0).changesTopic());

        assertEquals(
                "changes.topic: needs a kafka section (got '\"cdc.{table}\"')",
                error(VALID + "changes:\n  topic: cdc.{table}\n"));
        assertEquals(
                "changes.topic: unknown placeholder {schema} (allowed: {database}, {table})"
                        + " (got '\"cdc.{schema}\"')",
                error(VALID + kafka + "changes:\n  topic: cdc.{schema}\n"));
        assertEquals(
                "changes.topic: resolves to 'cdc/app/orders' for app.orders, not a Kafka topic name"
                        + " (letters, digits, '.', '_' and '-', at most 249)"
                        + " (got '\"cdc/{database}/{table}\"')",
                error(VALID + kafka + "changes:\n  topic: cdc/{database}/{table}\n"));
        assertEquals(
                "tables[0].changes.topic: resolves to 'x{app}' for app.orders, not a Kafka topic"
                        + " name (letters, digits, '.', '_' and '-', at most 249)"
                        + " (got '\"x{{database}}\"')",
                error(rule("changes: {topic: 'x{{database}}'}") + kafka));
        assertEquals(
                "tables[0].changes.publish: false, yet tables[0].changes.topic names a topic"
                        + " (got 'false')",
                error(rule("changes: {topic: t, publish: false}") + kafka));
        assertEquals(
                "tables[0].changes.publish: needs a topic: changes.topic or"
                        + " tables[0].changes.topic (got 'true')",
                error(rule("changes: {publish: true}") + kafka));
        assertEquals(
                "tables[0].changes.tpoic: unknown key (allowed: topic, publish)",
                error(rule("changes: {tpoic: t}") + kafka));
    }

    private static List<String> topics(JobConfig config) {
        return config.tables().stream().map(TableConfig::changesTopic).toList();
    }

    private static final String KAFKA_SOURCE =
            """
            sources:
              - id: orders-topic
                kind: kafka
                bootstrapServers: 127.0.0.1:9092
                topics: [app.orders]
                groupId: shardsync-orders
                format: canal-json
                schemaFrom:
                  host: 127.0.0.1
                  port: 3307
                  user: reader
                  password: {env: READER_PASSWORD}
            shards:
              - url: jdbc:mariadb://127.0.0.1:3308/
                user: writer
                password: {file: /run/secrets/writer}
            tables:
              - database: app
                table: orders
                versionColumn: version
            """;

    @Test
    void readsAKafkaSourceWithItsSchemaServer() throws IOException {
        JobConfig config = load(KAFKA_SOURCE);
        assertEquals(List.of(), config.sources());
        KafkaSourceConfig kafka = config.kafkaSources().get(0);
        assertEquals("orders-topic", kafka.id());
        assertEquals(List.of("app.orders"), kafka.topics());
        assertEquals(null, kafka.topicPattern());
        assertEquals(KafkaSourceConfig.Format.CANAL_JSON, kafka.format());
        assertEquals(KafkaSourceConfig.StartingOffsets.EARLIEST, kafka.startingOffsets());
        assertEquals("127.0.0.1", kafka.schemaFrom().host());
        assertEquals(List.of(kafka.schemaFrom()), config.schemaServers());
        JobConfig pattern =
                load(
                        KAFKA_SOURCE
                                .replace("topics: [app.orders]", "topicPattern: 'app\\..*'")
                                .replace(
                                        "    format:",
                                        "    startingOffsets: committed\n    format:"));
        assertEquals("app\\..*", pattern.kafkaSources().get(0).topicPattern());
        assertEquals(
                KafkaSourceConfig.StartingOffsets.COMMITTED,
                pattern.kafkaSources().get(0).startingOffsets());
        assertEquals(
                "sources: this mode compares one source with the shards; the config has 0 (and 1"
                        + " of kind kafka)",
                assertThrows(ConfigException.class, config::singleSource).getMessage());
    }

    @Test
    void aKafkaSourceBesideABinlogSourceTakesTheTablesFromIt() throws IOException {
        String binlog =
                "  - host: 127.0.0.1\n    user: cdc\n    password: {env: CDC_PASSWORD}\n"
                        + "    serverIdRange: 5400-5400\n";
        JobConfig config =
                load(
                        KAFKA_SOURCE
                                .replaceAll("(?s)    schemaFrom:.*?READER_PASSWORD}\n", "")
                                .replace("shards:\n", binlog + "shards:\n"));
        assertEquals(List.of("source-2"), config.sources().stream().map(SourceConfig::id).toList());
        assertEquals(null, config.kafkaSources().get(0).schemaFrom());
        assertEquals(config.sources(), config.schemaServers());
    }

    @Test
    void kafkaSourcesAreValidatedBeforeAnyConnection() {
        assertEquals(
                "sources[0].kind: expected one of mysql, kafka (got '\"pulsar\"')",
                error(KAFKA_SOURCE.replace("kind: kafka", "kind: pulsar")));
        assertEquals(
                "sources[0].groupId: required key is missing",
                error(KAFKA_SOURCE.replace("    groupId: shardsync-orders\n", "")));
        assertEquals(
                "sources[0].bootstrapServers: required key is missing",
                error(KAFKA_SOURCE.replace("    bootstrapServers: 127.0.0.1:9092\n", "")));
        assertEquals(
                "sources[0].format: required key is missing",
                error(KAFKA_SOURCE.replace("    format: canal-json\n", "")));
        assertEquals(
                "sources[0].format: expected one of debezium-json, canal-json (got '\"avro\"')",
                error(KAFKA_SOURCE.replace("format: canal-json", "format: avro")));
        assertEquals(
                "sources[0].startingOffsets: expected one of earliest, latest, committed"
                        + " (got '\"newest\"')",
                error(
                        KAFKA_SOURCE.replace(
                                "    format:", "    startingOffsets: newest\n    format:")));
        assertEquals(
                "sources[0].serverIdRange: unknown key (allowed: id, kind, bootstrapServers, topics,"
                        + " topicPattern, groupId, format, startingOffsets, schemaFrom)",
                error(KAFKA_SOURCE.replace("    format:", "    serverIdRange: 1-2\n    format:")));
        assertEquals(
                "sources[0]: give exactly one of 'topics' (a list) or 'topicPattern' (a regex)",
                error(KAFKA_SOURCE.replace("    topics: [app.orders]\n", "")).split(" \\(got")[0]);
        assertEquals(
                "sources[0].topics[0]: not a Kafka topic name (letters, digits, '.', '_' and '-',"
                        + " at most 249) (got '\"app/orders\"')",
                error(KAFKA_SOURCE.replace("[app.orders]", "[app/orders]")));
        assertEquals(
                "sources[0].topicPattern: not a regular expression: Unclosed group"
                        + " (got '\"app(\"')",
                error(KAFKA_SOURCE.replace("topics: [app.orders]", "topicPattern: 'app('")));
        assertEquals(
                "sources[0].schemaFrom: required key is missing: without a mysql source the tables'"
                        + " definitions are read from this MySQL server",
                error(KAFKA_SOURCE.replaceAll("(?s)    schemaFrom:.*?READER_PASSWORD}\n", "")));
        assertEquals(
                "sources[0].schemaFrom.serverIdRange: unknown key (allowed: host, port, user,"
                        + " password, serverTimeZone)",
                error(KAFKA_SOURCE.replace("      port: 3307", "      serverIdRange: 1-2")));
        assertEquals(
                "tables[0].versionColumn: missing; a kafka source's changes arrive in the topic's"
                        + " order, which is not the source's (a topic not partitioned by key,"
                        + " several topics): a version column orders a row's changes",
                error(KAFKA_SOURCE.replace("    versionColumn: version\n", "")));
    }
}

package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.JobConfig;
import io.shardsync.model.SyncTable;
import io.shardsync.source.SchemaLoader;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.LocalKafka;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka sources on real Kafka and MariaDB: change-topic envelopes spread over 3 partitions by
 * position, not by row (so each row's changes arrive out of order), across a TaskManager loss; and
 * Canal JSON with batched rows, a DDL and malformed messages. The source server holds only the
 * table's definition (schemaFrom) and, written by the test, the rows the shards must end with.
 */
class KafkaSourceITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();

    @TempDir Path checkpoints;

    @BeforeAll
    static void startServers() throws Exception {
        MariaDb.start();
        LocalKafka.start();
    }

    /** A job reading {@code topic} in {@code format} into the orders table's shards. */
    private static String job(String db, String topic, String format) {
        return job(db, topic, format, MariaDb.SHARD_PORTS);
    }

    private static String job(String db, String topic, String format, List<Integer> shardPorts) {
        return "sources:\n  - id: topic-in\n    kind: kafka\n    bootstrapServers: "
                + LocalKafka.BOOTSTRAP
                + "\n    topics: ["
                + topic
                + "]\n    groupId: it-"
                + db
                + "\n    format: "
                + format
                + "\n    schemaFrom:\n      host: 127.0.0.1\n      port: "
                + MariaDb.SOURCE_PORT
                + "\n      user: shardsync_cdc\n      password: {file: "
                + MariaDb.SECRETS.resolve("shardsync_cdc.password")
                + "}\n"
                + MariaDb.shards(shardPorts)
                + "tables:\n"
                + ChangeGenerator.ordersConfig(db)
                + "parallelism: 2\ncheckpointInterval: 1s\n"
                + MariaDb.controlDatabase(db + "_control");
    }

    @Test
    void changeTopicMessagesOutOfOrderEndExactAcrossATaskManagerLoss(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String db = MariaDb.createDatabase("kin");
        MariaDb.execute(MariaDb.SOURCE_PORT, String.format(ChangeGenerator.ORDERS_DDL, db));
        String topic = "in." + db + ".orders";
        LocalKafka.createTopic(topic, 3);
        JobConfig config = SyncJobs.parse(job(db, topic, "debezium-json"));
        SyncTable orders = SchemaLoader.load(config).get(0);
        OrdersHistory history = new OrdersHistory(orders);
        for (int round = 0; round < 6; round++) {
            history.step(round);
        }
        List<String> messages = history.messages();
        int half = messages.size() / 2;
        LocalKafka.produceRoundRobin(topic, messages.subList(0, half), 3);
        JobClient job = SyncJobs.start(config, checkpoints, null);
        try {
            Thread.sleep(6_000);
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();
            LocalKafka.produceRoundRobin(topic, messages.subList(half, messages.size()), 3);
            history.writeExpectedRows(db);
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
            assertTrue(history.rowCount() > 300, "rows: " + history.rowCount());
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /**
     * MariaDB ---> a ShardSync job publishing its change topic (3 partitions) ---> a second job
     * reading that topic into other shards: both end at the source's rows, while changes flow.
     */
    @Test
    void aJobReadsAnotherJobsChangeTopic() throws Exception {
        String db = MariaDb.createDatabase("kchain");
        ChangeGenerator.createOrders(db, 2_000);
        String topic = "changes." + db + ".orders";
        LocalKafka.createTopic(topic, 3);
        JobClient upstream =
                SyncJobs.start(
                        SyncJobs.parse(
                                MariaDb.config("exactly-once", 2, ChangeGenerator.ordersConfig(db))
                                        + LocalKafka.config()
                                        + "name: up-"
                                        + db
                                        + "\nchanges:\n  topic: changes.{database}.{table}\n"),
                        checkpoints.resolve("up"),
                        null);
        JobClient downstream =
                SyncJobs.start(
                        SyncJobs.parse(
                                job(db, topic, "debezium-json", MariaDb.NEW_SHARD_PORTS)
                                        + "name: down-"
                                        + db
                                        + "\n"),
                        checkpoints.resolve("down"),
                        null);
        try {
            try (ChangeGenerator generator = ChangeGenerator.start(db, 2_001, 5)) {
                Thread.sleep(10_000);
            }
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(120_000));
            assertEquals(
                    List.of(),
                    ChangeGenerator.shardedOrders(db, MariaDb.NEW_SHARD_PORTS).awaitEqual(120_000));
        } finally {
            SyncJobs.cancel(upstream);
            SyncJobs.cancel(downstream);
        }
    }

    @Test
    void canalMessagesEndExactAndMalformedOnesAreConflicts() throws Exception {
        String db = MariaDb.createDatabase("kcanal");
        MariaDb.execute(MariaDb.SOURCE_PORT, String.format(ChangeGenerator.ORDERS_DDL, db));
        String topic = "canal." + db;
        LocalKafka.createTopic(topic, 1);
        long es = System.currentTimeMillis();
        List<String> messages =
                List.of(
                        canal(
                                db,
                                "INSERT",
                                es,
                                rows(
                                        row(1, 11, "one", 1),
                                        row(2, 12, "two", 1),
                                        row(3, 13, "three", 1)),
                                "null"),
                        canal(
                                db,
                                "UPDATE",
                                es + 1,
                                rows(row(2, 12, "two-b", 2)),
                                "[{\"note\": \"two\", \"version\": \"1\"}]"),
                        "{\"data\": null, \"database\": \""
                                + db
                                + "\", \"es\": "
                                + es
                                + ", \"id\": 9, \"isDdl\": true, \"mysqlType\": null, \"old\": null,"
                                + " \"pkNames\": null, \"sql\": \"ALTER TABLE orders ADD COLUMN x INT\","
                                + " \"sqlType\": null, \"table\": \"orders\", \"ts\": "
                                + es
                                + ", \"type\": \"ALTER\"}",
                        "{not json",
                        canal(db, "DELETE", es + 2, rows(row(3, 13, "three", 1)), "null"),
                        canal(db, "INSERT", es + 3, rows(row(4, 14, "four", 1)), "null")
                                .replace("\"orders\"", "\"customers\""),
                        canal(
                                db,
                                "INSERT",
                                es + 3,
                                rows(row(4, 14, "four", 1).replace("\"14\"", "\"x\"")),
                                "null"),
                        canal(
                                db,
                                "INSERT",
                                es + 4,
                                rows(row(5, 15, "five", 1), row(6, 16, "six", 1)),
                                "null"),
                        canal(
                                db,
                                "UPDATE",
                                es + 5,
                                rows(row(1, 20, "one moved", 2)),
                                "[{\"user_id\": \"11\", \"note\": \"one\", \"version\": \"1\"}]"));
        LocalKafka.produceRoundRobin(topic, messages, 1);
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "INSERT INTO "
                        + db
                        + ".orders VALUES (1, 20, 'one moved', 1.50, 2, '2024-01-01 00:00:00.123456'),"
                        + " (2, 12, 'two-b', 1.50, 2, '2024-01-01 00:00:00.123456'),"
                        + " (5, 15, 'five', 1.50, 1, '2024-01-01 00:00:00.123456'),"
                        + " (6, 16, 'six', 1.50, 1, '2024-01-01 00:00:00.123456')");
        JobClient job =
                SyncJobs.start(SyncJobs.parse(job(db, topic, "canal-json")), checkpoints, null);
        try {
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(60_000));
            String control = db + "_control.sync_conflicts";
            List<String> conflicts = List.of();
            for (int i = 0; i < 100 && conflicts.size() < 3; i++) {
                Thread.sleep(200);
                conflicts =
                        MariaDb.query(
                                MariaDb.SHARD_PORTS.get(0),
                                "SELECT kind, error FROM "
                                        + control
                                        + " WHERE kind = 'MALFORMED_MESSAGE' ORDER BY error");
            }
            // LATE ones may be there, if the job started slowly; nothing else
            assertEquals(
                    List.of(),
                    MariaDb.query(
                            MariaDb.SHARD_PORTS.get(0),
                            "SELECT kind FROM "
                                    + control
                                    + " WHERE kind NOT IN ('MALFORMED_MESSAGE', 'LATE')"));
            assertEquals(3, conflicts.size(), conflicts.toString());
            assertTrue(
                    conflicts.get(0).startsWith("MALFORMED_MESSAGE|" + topic + "/0@3: not JSON"),
                    conflicts.get(0));
            assertEquals(
                    "MALFORMED_MESSAGE|"
                            + topic
                            + "/0@5: table "
                            + db
                            + ".customers is not synced by the job",
                    conflicts.get(1));
            assertEquals(
                    "MALFORMED_MESSAGE|"
                            + topic
                            + "/0@6: canal-json: NumberFormatException: For input string: \"x\"",
                    conflicts.get(2));
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get());
        } finally {
            SyncJobs.cancel(job);
        }
    }

    private static String row(long id, long userId, String note, long version) {
        return "{\"id\": \""
                + id
                + "\", \"user_id\": \""
                + userId
                + "\", \"note\": \""
                + note
                + "\", \"amount\": \"1.50\", \"version\": \""
                + version
                + "\", \"updated_at\": \"2024-01-01 00:00:00.123456\"}";
    }

    private static String rows(String... rows) {
        return "[" + String.join(", ", rows) + "]";
    }

    /** A Canal JSON message as Canal's Kafka producer writes it (flatMessage). */
    private static String canal(String db, String type, long es, String data, String old) {
        return "{\"data\": "
                + data
                + ", \"database\": \""
                + db
                + "\", \"es\": "
                + es
                + ", \"id\": 1, \"isDdl\": false, \"mysqlType\": {\"id\": \"bigint(20)\","
                + " \"user_id\": \"bigint(20)\", \"note\": \"varchar(200)\","
                + " \"amount\": \"decimal(12,2)\", \"version\": \"bigint(20)\","
                + " \"updated_at\": \"datetime(6)\"}, \"old\": "
                + old
                + ", \"pkNames\": [\"id\"], \"sql\": \"\", \"sqlType\": {\"id\": -5,"
                + " \"user_id\": -5, \"note\": 12, \"amount\": 3, \"version\": -5,"
                + " \"updated_at\": 93}, \"table\": \"orders\", \"ts\": "
                + (es + 5)
                + ", \"type\": \""
                + type
                + "\"}";
    }
}

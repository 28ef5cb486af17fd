package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.LocalKafka;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conflicts and latency samples to real Kafka topics, exactly-once across a TaskManager loss: a
 * read_committed consumer sees each record once.
 */
class KafkaSideOutputsITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STALE = 200;

    @TempDir Path checkpoints;

    @BeforeAll
    static void startServers() throws Exception {
        MariaDb.start();
        LocalKafka.start();
    }

    @Test
    void topicsHoldEachRecordOnceAcrossATaskManagerLoss(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String db = MariaDb.createDatabase("kafka");
        ChangeGenerator.createOrders(db, 1_000);
        int b = MariaDb.SECOND_SOURCE_PORT;
        MariaDb.execute(b, "CREATE DATABASE " + db, String.format(ChangeGenerator.ORDERS_DDL, db));
        String conflictsTopic = "conflicts_" + db;
        String latencyTopic = "latency_" + db;
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(
                                MariaDb.config(
                                                List.of(MariaDb.SOURCE_PORT, b),
                                                "exactly-once",
                                                2,
                                                ChangeGenerator.ordersConfig(db))
                                        + LocalKafka.config()
                                        + "conflicts:\n  topic: "
                                        + conflictsTopic
                                        + "\nlatency:\n  sampleEvery: 1\n  topic: "
                                        + latencyTopic
                                        + "\noutOfOrderness: 10s\n"),
                        checkpoints,
                        null);
        ShardedTable orders = ChangeGenerator.shardedOrders(db);
        try {
            assertEquals(List.of(), orders.awaitEqual(60_000));
            // Each step: the second source inserts an older version of row i (a stale change,
            // reported) and the first source bumps row 500 + i (applied, sampled).
            for (int i = 1; i <= STALE; i++) {
                MariaDb.execute(
                        b,
                        "INSERT INTO "
                                + db
                                + ".orders VALUES ("
                                + i
                                + ", 1, 'stale', 1, 0, NOW(6))");
                MariaDb.execute(
                        MariaDb.SOURCE_PORT,
                        "UPDATE "
                                + db
                                + ".orders SET version = version + 1, updated_at = NOW(6)"
                                + " WHERE id = "
                                + (500 + i));
                if (i == STALE / 2) {
                    cluster.terminateTaskManager(0).get();
                    cluster.startTaskManager();
                }
                Thread.sleep(20);
            }
            assertEquals(List.of(), orders.awaitEqual(120_000));
            Thread.sleep(3_000); // the checkpoint after the last commit

            List<JsonNode> conflicts = parse(LocalKafka.readCommitted(conflictsTopic, 8_000));
            Set<String> staleKeys = new HashSet<>();
            for (JsonNode conflict : conflicts) {
                assertEquals("STALE_VERSION", conflict.get("kind").asText(), conflict.toString());
                staleKeys.add(conflict.get("row_key").asText());
            }
            assertEquals(STALE, conflicts.size(), "conflict records");
            assertEquals(STALE, staleKeys.size(), "distinct stale rows");

            List<JsonNode> samples = parse(LocalKafka.readCommitted(latencyTopic, 8_000));
            Set<String> written = new HashSet<>();
            Set<String> bumpedRows = new HashSet<>();
            for (JsonNode sample : samples) {
                String change =
                        sample.get("shard").asText()
                                + "/"
                                + sample.get("row_key").asText()
                                + "/"
                                + sample.get("version").asText();
                assertTrue(written.add(change), "sample twice: " + change);
                assertTrue(sample.get("latency_ms").asLong() >= 0, sample.toString());
                if (sample.get("version").asText().startsWith("2@")) {
                    bumpedRows.add(sample.get("row_key").asText());
                }
            }
            for (int i = 1; i <= STALE; i++) {
                assertTrue(
                        bumpedRows.contains(String.valueOf(500 + i)), "no sample of " + (500 + i));
            }
        } finally {
            SyncJobs.cancel(job);
        }
    }

    private static List<JsonNode> parse(List<String> messages) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String message : messages) {
            nodes.add(JSON.readTree(message));
        }
        return nodes;
    }
}

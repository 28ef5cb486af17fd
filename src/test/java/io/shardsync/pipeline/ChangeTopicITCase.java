package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.DebeziumRows;
import io.shardsync.testing.LocalKafka;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import io.shardsync.testing.SyncJobs;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.RowKind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change topic on real MariaDB and Kafka: a read_committed consumer sees every applied change
 * exactly once, each row's changes in order in one partition, across a TaskManager loss; Flink's
 * debezium-json format reads the messages back into the source's rows; and every column type's
 * value is the one MariaDB itself computes for Debezium's encoding.
 */
class ChangeTopicITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path checkpoints;

    @BeforeAll
    static void startServers() throws Exception {
        MariaDb.start();
        LocalKafka.start();
    }

    /** A job of these tables publishing to changes.{database}.{table}, named apart per test. */
    private static String job(String db, String tables) {
        return MariaDb.config("exactly-once", 2, tables)
                + LocalKafka.config()
                + "name: changes-"
                + db
                + "\nchanges:\n  topic: changes.{database}.{table}\n";
    }

    @Test
    void everyChangeOnceAndInRowOrderAcrossATaskManagerLoss(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String db = MariaDb.createDatabase("changes");
        ChangeGenerator.createOrders(db, 1_000);
        String topic = "changes." + db + ".orders";
        LocalKafka.createTopic(topic, 3);
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(job(db, ChangeGenerator.ordersConfig(db))),
                        checkpoints,
                        null);
        ShardedTable orders = ChangeGenerator.shardedOrders(db);
        try {
            assertEquals(List.of(), orders.awaitEqual(60_000));
            try (ChangeGenerator generator = ChangeGenerator.start(db, 1_001, 5)) {
                Thread.sleep(6_000);
                cluster.terminateTaskManager(0).get();
                cluster.startTaskManager();
                Thread.sleep(6_000);
            }
            assertEquals(List.of(), orders.awaitEqual(120_000));
            Thread.sleep(3_000); // the Kafka transaction commits with the same checkpoint
        } finally {
            SyncJobs.cancel(job);
        }

        // Per row, in its partition's order: a snapshot read or insert first, then each change's
        // before image equal to the previous after image, a delete last. A change lost, doubled
        // or out of order breaks the chain.
        Map<String, List<ConsumerRecord<String, String>>> byRow = new LinkedHashMap<>();
        List<ConsumerRecord<String, String>> records =
                LocalKafka.readCommittedRecords(topic, 8_000);
        records.forEach(r -> byRow.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
        int changes = 0;
        for (var row : byRow.entrySet()) {
            JsonNode after = null;
            for (ConsumerRecord<String, String> record : row.getValue()) {
                assertEquals(row.getValue().get(0).partition(), record.partition(), row.getKey());
                JsonNode change = JSON.readTree(record.value());
                String op = change.get("op").asText();
                String where = row.getKey() + " at offset " + record.offset() + ": " + change;
                if (after == null) {
                    assertTrue(op.equals("r") || op.equals("c"), "first change " + where);
                } else {
                    assertTrue(op.equals("u") || op.equals("d"), "later change " + where);
                    assertEquals(after, change.get("before"), "before image " + where);
                }
                after = change.get("after").isNull() ? null : change.get("after");
                assertTrue(
                        after != null || record == row.getValue().get(row.getValue().size() - 1));
                changes += op.equals("r") ? 0 : 1;
            }
        }
        assertTrue(changes > 200, "binlog changes published: " + changes);
        assertEquals(sourceOrders(db), foldedByFlink(records));
    }

    /** The topic's rows as a Flink SQL table over it holds them: the changelog applied per id. */
    private static Map<Long, RowData> foldedByFlink(List<ConsumerRecord<String, String>> records)
            throws Exception {
        DebeziumRows format =
                new DebeziumRows(
                        DataTypes.ROW(
                                DataTypes.FIELD("id", DataTypes.BIGINT()),
                                DataTypes.FIELD("user_id", DataTypes.BIGINT()),
                                DataTypes.FIELD("note", DataTypes.STRING()),
                                DataTypes.FIELD("amount", DataTypes.DECIMAL(12, 2)),
                                DataTypes.FIELD("version", DataTypes.BIGINT()),
                                DataTypes.FIELD("updated_at", DataTypes.BIGINT())));
        Map<Long, RowData> table = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            for (RowData row : format.read(record.value())) {
                switch (row.getRowKind()) {
                    case INSERT, UPDATE_AFTER -> {
                        row.setRowKind(RowKind.INSERT);
                        table.put(row.getLong(0), row);
                    }
                    case UPDATE_BEFORE, DELETE -> assertNotNull(table.remove(row.getLong(0)));
                }
            }
        }
        return table;
    }

    /** The source's orders as Flink rows of Debezium's types (DATETIME(6): epoch micros). */
    private static Map<Long, RowData> sourceOrders(String db) throws Exception {
        Map<Long, RowData> rows = new HashMap<>();
        for (String line :
                MariaDb.query(
                        MariaDb.SOURCE_PORT,
                        "SELECT id, user_id, note, amount, version,"
                                + " TIMESTAMPDIFF(MICROSECOND, '1970-01-01', updated_at) FROM "
                                + db
                                + ".orders")) {
            String[] v = line.split("\\|", -1);
            rows.put(
                    Long.parseLong(v[0]),
                    GenericRowData.of(
                            Long.parseLong(v[0]),
                            Long.parseLong(v[1]),
                            StringData.fromString(v[2]),
                            DecimalData.fromBigDecimal(new BigDecimal(v[3]), 12, 2),
                            Long.parseLong(v[4]),
                            Long.parseLong(v[5])));
        }
        return rows;
    }

    private static final String TYPES =
            "CREATE TABLE %s.types (id INT PRIMARY KEY, ti TINYINT, ub BIGINT UNSIGNED,"
                    + " dc DECIMAL(20,6), fl FLOAT, dbl DOUBLE, vc VARCHAR(20) CHARACTER SET utf8mb4,"
                    + " bn VARBINARY(8), d DATE, dt DATETIME, dt3 DATETIME(3), dt6 DATETIME(6),"
                    + " ts TIMESTAMP(6) NULL, tm TIME(6), b1 BIT(1), b12 BIT(12), js JSON, yr YEAR,"
                    + " en ENUM('a','b'), n INT)";

    /** Every column as MariaDB computes Debezium's encoding of it, by id. */
    private static final String RENDERED =
            "SELECT id, ti, CAST(ub AS CHAR), CAST(dc AS CHAR), fl, dbl, vc, TO_BASE64(bn),"
                    + " DATEDIFF(d, '1970-01-01'),"
                    + " TIMESTAMPDIFF(MICROSECOND, '1970-01-01', dt) DIV 1000,"
                    + " TIMESTAMPDIFF(MICROSECOND, '1970-01-01', dt3) DIV 1000,"
                    + " TIMESTAMPDIFF(MICROSECOND, '1970-01-01', dt6),"
                    + " CAST(UNIX_TIMESTAMP(ts) * 1000000 AS SIGNED),"
                    + " CAST(TIME_TO_SEC(tm) * 1000000 AS SIGNED), b1 + 0, b12 + 0, js,"
                    + " yr + 0, en, n FROM %s.types ORDER BY id";

    @Test
    void everyColumnTypeIsMariaDbsOwnValueInDebeziumsEncoding() throws Exception {
        String db = MariaDb.createDatabase("ctypes");
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                String.format(TYPES, db),
                "INSERT INTO "
                        + db
                        + ".types VALUES (1, -128, 18446744073709551615, -12345678901234.000100,"
                        + " 1.5, 2.25e-10, 'Grüße 😀', 0x00ff10, '2024-02-29',"
                        + " '2024-02-29 13:14:15', '2024-02-29 13:14:15.123',"
                        + " '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.000001',"
                        + " '25:00:00.5', b'1', b'100000000001', '{\"a\": [1, 2]}', 2024, 'b',"
                        + " NULL),"
                        + " (2, 127, 0, 0.000001, -0.25, 1e300, '', X'', '1969-12-31',"
                        + " '1000-01-01 00:00:00', '9999-12-31 23:59:59.999',"
                        + " '1970-01-01 00:00:00.000001', '1970-01-01 00:00:01.5', '00:00:00',"
                        + " b'0', b'0', '[]', 1901, 'a', 7)");
        String topic = "changes." + db + ".types";
        JobClient job =
                SyncJobs.start(
                        SyncJobs.parse(
                                job(
                                        db,
                                        "  - database: "
                                                + db
                                                + "\n    table: types\n"
                                                + "    shardKey: id\n")),
                        checkpoints,
                        null);
        ShardedTable types =
                new ShardedTable(
                        db, "types", "id", r -> Integer.parseInt(ShardedTable.text(r, "id")) % 2);
        try {
            assertEquals(List.of(), types.awaitEqual(60_000));
            MariaDb.execute(
                    MariaDb.SOURCE_PORT,
                    "INSERT INTO "
                            + db
                            + ".types SELECT id + 2, ti, ub, dc, fl, dbl, vc, bn, d,"
                            + " dt, dt3, dt6, ts, tm, b1, b12, js, yr, en, n FROM "
                            + db
                            + ".types",
                    "ALTER TABLE " + db + ".types ADD INDEX (ti)", // reported, not published
                    "UPDATE " + db + ".types SET vc = 'x', n = 3 WHERE id = 3",
                    "DELETE FROM " + db + ".types WHERE id = 4");
            assertEquals(List.of(), types.awaitEqual(60_000));
            Thread.sleep(3_000);
        } finally {
            SyncJobs.cancel(job);
        }

        List<JsonNode> changes = new ArrayList<>();
        for (String message : LocalKafka.readCommitted(topic, 5_000)) {
            changes.add(JSON.readTree(message));
        }
        assertEquals(
                List.of("r", "r", "c", "c", "u", "d"),
                changes.stream()
                        .map(c -> c.get("op").asText())
                        .sorted(ChangeTopicITCase::byOp)
                        .toList());
        Map<Integer, List<String>> rendered = new HashMap<>();
        for (String line : MariaDb.query(MariaDb.SOURCE_PORT, String.format(RENDERED, db))) {
            List<String> values = new ArrayList<>(List.of(line.split("\\|", -1)));
            for (int approximate : new int[] {4, 5}) { // fl, dbl: compared as Java prints them
                values.set(
                        approximate, String.valueOf(Double.parseDouble(values.get(approximate))));
            }
            rendered.put(Integer.parseInt(values.get(0)), values.subList(1, values.size()));
        }
        for (JsonNode change : changes) {
            JsonNode image = change.get(change.get("op").asText().equals("d") ? "before" : "after");
            int id = image.get("id").asInt();
            // Rows 3 and 4 were inserted as copies of rows 1 and 2; row 3 then updated.
            int of = change.get("op").asText().equals("u") ? 3 : id > 2 ? id - 2 : id;
            assertEquals(rendered.get(of), asRendered(image), change.toString());
        }
    }

    /** Snapshot reads, inserts, updates, deletes. */
    private static int byOp(String a, String b) {
        return "rcud".indexOf(a) - "rcud".indexOf(b);
    }

    /** An image's values in {@link #RENDERED}'s text, decoding only what SQL cannot produce. */
    private static List<String> asRendered(JsonNode image) {
        List<String> values = new ArrayList<>();
        image.fields()
                .forEachRemaining(
                        f -> {
                            JsonNode v = f.getValue();
                            String text =
                                    switch (f.getKey()) {
                                        case "id" -> null;
                                        case "fl", "dbl" -> String.valueOf(v.asDouble());
                                        case "ts" -> String.valueOf(isoMicros(v.asText()));
                                        case "b1" -> v.asBoolean() ? "1" : "0";
                                        case "b12" -> String.valueOf(littleEndian(v));
                                        default -> v.isNull() ? "null" : v.asText();
                                    };
                            if (text != null) {
                                values.add(text);
                            }
                        });
        return values;
    }

    private static long isoMicros(String iso) {
        assertTrue(iso.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), iso);
        Instant t = Instant.parse(iso);
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    private static long littleEndian(JsonNode base64) {
        try {
            byte[] bytes = base64.binaryValue();
            assertEquals(2, bytes.length, "BIT(12) is two bytes");
            return (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

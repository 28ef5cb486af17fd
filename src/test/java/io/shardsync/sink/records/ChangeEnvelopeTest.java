package io.shardsync.sink.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.config.ColumnTransforms;
import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.config.TableConfig;
import io.shardsync.config.TargetTemplate;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import io.shardsync.model.SyncTable;
import io.shardsync.testing.DebeziumRows;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The change topic's message: Debezium's key and envelope for each op, which table goes to which
 * topic, and Flink's own {@code debezium-json} format reading it back.
 */
class ChangeEnvelopeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** app.orders(id BIGINT, code VARCHAR _ci, amount DECIMAL, at TIMESTAMP(3)), key (id, code). */
    private static final SyncTable ORDERS =
            new SyncTable(
                    "app",
                    "orders",
                    List.of(
                            new Column("id", "bigint", "bigint(20)", false, null, false),
                            new Column(
                                    "code",
                                    "varchar",
                                    "varchar(10)",
                                    false,
                                    "utf8mb4_general_ci",
                                    false),
                            new Column("amount", "decimal", "decimal(10,2)", true, null, false),
                            new Column("at", "timestamp", "timestamp(3)", true, null, false)),
                    new int[] {0, 1},
                    -1,
                    ShardRule.MOD,
                    -1,
                    List.of(),
                    "",
                    SchemaChanges.of(SchemaChangePolicy.FAIL));

    private static ChangeEvent event(Op op, String[] before, String[] after) {
        ChangeEvent e = new ChangeEvent();
        e.sourceId = "source-1";
        e.database = "app";
        e.table = "orders";
        e.op = op;
        e.before = before;
        e.after = after;
        e.key = ORDERS.keyOf(e.image(), null);
        boolean snapshot = op == Op.READ;
        e.binlogFile = snapshot ? "" : "binlog.000042";
        e.version = snapshot ? new RowVersion(0, 0, 0, 0) : new RowVersion(0, 42, 1234, 1);
        e.sourceTimeMs = snapshot ? 0 : 1_709_212_455_000L;
        e.readTimeMs = 1_709_212_455_700L;
        return e;
    }

    private static final String[] OLD = {"7", "K1 ", "10.50", "2024-02-29 13:14:15.120000"};
    private static final String[] NEW = {"7", "K1 ", "11.00", null};

    @Test
    void anUpdateIsDebeziumsEnvelopeKeyedByThePrimaryKey() throws Exception {
        ChangeEvent update = event(Op.UPDATE, OLD, NEW);
        assertEquals(
                JSON.readTree(
                        """
                        {"before": {"id": 7, "code": "K1 ", "amount": "10.50",
                                    "at": "2024-02-29T13:14:15.120Z"},
                         "after": {"id": 7, "code": "K1 ", "amount": "11.00", "at": null},
                         "source": {"version": "shardsync-1", "connector": "mysql",
                                    "name": "source-1", "ts_ms": 1709212455000,
                                    "snapshot": "false", "db": "app", "sequence": null,
                                    "table": "orders", "server_id": 0, "gtid": null,
                                    "file": "binlog.000042", "pos": 1234, "row": 1,
                                    "thread": null, "query": null},
                         "op": "u", "ts_ms": 1709212455700, "transaction": null}
                        """),
                asRead(ChangeEnvelope.value(update, ORDERS)));
        // The key in the form the merge keys the row by: 'K1 ' and 'k1' are one row in _ci.
        assertEquals(
                JSON.readTree("{\"id\": 7, \"code\": \"K1\"}"),
                asRead(ChangeEnvelope.key(update, ORDERS)));
        assertEquals(
                ChangeEnvelope.key(update, ORDERS),
                ChangeEnvelope.key(
                        event(Op.DELETE, new String[] {"7", "k1", "1.00", null}, null), ORDERS));
    }

    /** A node as a consumer reads it (Jackson's number nodes compare by their Java type). */
    private static List<String> fieldNames(JsonNode row) {
        List<String> names = new ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode asRead(JsonNode node) throws Exception {
        return JSON.readTree(node.toString());
    }

    @Test
    void insertsDeletesAndSnapshotReadsCarryTheirImagesOnly() {
        var insert = ChangeEnvelope.value(event(Op.INSERT, null, NEW), ORDERS);
        assertEquals("c", insert.get("op").asText());
        assertTrue(insert.get("before").isNull());
        assertEquals("11.00", insert.get("after").get("amount").asText());

        var delete = ChangeEnvelope.value(event(Op.DELETE, OLD, null), ORDERS);
        assertEquals("d", delete.get("op").asText());
        assertTrue(delete.get("after").isNull());
        assertEquals("10.50", delete.get("before").get("amount").asText());

        var read = ChangeEnvelope.value(event(Op.READ, null, NEW), ORDERS);
        assertEquals("r", read.get("op").asText());
        assertEquals("true", read.get("source").get("snapshot").asText());
        assertEquals(1_709_212_455_700L, read.get("source").get("ts_ms").asLong(), "read time");
        assertEquals("", read.get("source").get("file").asText());
    }

    @Test
    void afterASchemaChangeTheImagesColumnsAreTheOnesTheEventNames() {
        ChangeEvent insert = event(Op.INSERT, null, new String[] {"7", "5", "11.00"});
        insert.columns = new String[] {"id", "added", "amount"};
        var after = ChangeEnvelope.value(insert, ORDERS).get("after");
        assertEquals(7, after.get("id").asLong());
        assertEquals("5", after.get("added").asText()); // not known to the job: as text
        assertEquals("11.00", after.get("amount").asText());
        assertEquals(List.of("id", "added", "amount"), fieldNames(after));
    }

    @Test
    void eachPublishedTableGoesToItsTopicAndSchemaChangesNowhere() throws Exception {
        SyncTable audit =
                new SyncTable(
                        "app",
                        "audit",
                        ORDERS.columns(),
                        ORDERS.keyIndexes(),
                        -1,
                        ShardRule.MOD,
                        -1,
                        List.of(),
                        "",
                        SchemaChanges.of(SchemaChangePolicy.FAIL));
        ChangeMessages messages =
                new ChangeMessages(
                        List.of(config("orders", "cdc.app.orders"), config("audit", null)),
                        List.of(ORDERS, audit));
        assertEquals("cdc.app.orders", messages.topics());
        ChangeEvent update = event(Op.UPDATE, OLD, NEW);
        assertTrue(messages.publishes(update));
        ChangeEvent ddl = event(Op.INSERT, null, NEW);
        ddl.op = Op.DDL;
        assertFalse(messages.publishes(ddl));
        ChangeEvent ofAudit = event(Op.INSERT, null, NEW);
        ofAudit.table = "audit";
        assertFalse(messages.publishes(ofAudit));

        ProducerRecord<byte[], byte[]> record = messages.serialize(update, null, null);
        assertEquals("cdc.app.orders", record.topic());
        assertEquals(
                "{\"id\":7,\"code\":\"K1\"}", new String(record.key(), StandardCharsets.UTF_8));
        assertEquals(asRead(ChangeEnvelope.value(update, ORDERS)), JSON.readTree(record.value()));
        assertFalse(
                new ChangeMessages(List.of(config("orders", null)), List.of(ORDERS)).any(),
                "no topic, no sink");
    }

    private static TableConfig config(String table, String topic) {
        return new TableConfig(
                "app",
                table,
                List.of(),
                null,
                ShardRule.MOD,
                null,
                SchemaChanges.of(SchemaChangePolicy.FAIL),
                topic,
                null,
                null,
                null,
                null,
                TargetTemplate.SOURCE_NAMES,
                ColumnTransforms.NONE);
    }

    @Test
    void flinksDebeziumJsonFormatReadsTheEnvelope() throws Exception {
        DebeziumRows format =
                new DebeziumRows(
                        DataTypes.ROW(
                                DataTypes.FIELD("id", DataTypes.BIGINT()),
                                DataTypes.FIELD("code", DataTypes.STRING()),
                                DataTypes.FIELD("amount", DataTypes.DECIMAL(10, 2)),
                                DataTypes.FIELD("at", DataTypes.TIMESTAMP_LTZ(3))));
        List<RowData> rows = new ArrayList<>();
        for (ChangeEvent change :
                List.of(event(Op.UPDATE, OLD, NEW), event(Op.DELETE, NEW, null))) {
            rows.addAll(format.read(JSON.writeValueAsBytes(ChangeEnvelope.value(change, ORDERS))));
        }
        assertEquals(
                List.of(
                        row(
                                RowKind.UPDATE_BEFORE,
                                "10.50",
                                Instant.parse("2024-02-29T13:14:15.120Z")),
                        row(RowKind.UPDATE_AFTER, "11.00", null),
                        row(RowKind.DELETE, "11.00", null)),
                rows);
    }

    /** README "Kafka": each column type read by Flink as the type table says. */
    @Test
    void flinkReadsEachTypeAsTheReadmeTableSays() throws Exception {
        Object[][] columns = {
            {
                "ub",
                "bigint",
                "bigint(20) unsigned",
                "18446744073709551615",
                DataTypes.DECIMAL(20, 0),
                DecimalData.fromBigDecimal(new BigDecimal("18446744073709551615"), 20, 0)
            },
            {"ti", "tinyint", "tinyint(4)", "-128", DataTypes.TINYINT(), (byte) -128},
            {"yr", "year", "year(4)", "2024", DataTypes.INT(), 2024},
            {
                "dc",
                "decimal",
                "decimal(20,6)",
                "-12345678901234.000100",
                DataTypes.DECIMAL(20, 6),
                DecimalData.fromBigDecimal(new BigDecimal("-12345678901234.0001"), 20, 6)
            },
            {"fl", "float", "float", "1.5", DataTypes.FLOAT(), 1.5f},
            {
                "vc",
                "varchar",
                "varchar(9)",
                "Grüße",
                DataTypes.STRING(),
                StringData.fromString("Grüße")
            },
            {
                "js",
                "json",
                "json",
                "{\"a\": 1}",
                DataTypes.STRING(),
                StringData.fromString("{\"a\": 1}")
            },
            {
                "bn",
                "varbinary",
                "varbinary(8)",
                "00ff10",
                DataTypes.BYTES(),
                new byte[] {0, -1, 16}
            },
            {"b1", "bit", "bit(1)", "1", DataTypes.BOOLEAN(), true},
            {"b12", "bit", "bit(12)", "2049", DataTypes.BYTES(), new byte[] {1, 8}},
            {"d", "date", "date", "2024-02-29", DataTypes.INT(), 19782},
            {
                "dt3",
                "datetime",
                "datetime(3)",
                "2024-02-29 13:14:15.123000",
                DataTypes.BIGINT(),
                1_709_212_455_123L
            },
            {
                "dt6",
                "datetime",
                "datetime(6)",
                "2024-02-29 13:14:15.123456",
                DataTypes.BIGINT(),
                1_709_212_455_123_456L
            },
            {
                "ts",
                "timestamp",
                "timestamp(6)",
                "2024-02-29 13:14:15.000001",
                DataTypes.TIMESTAMP_LTZ(6),
                TimestampData.fromInstant(Instant.parse("2024-02-29T13:14:15.000001Z"))
            },
            {"tm", "time", "time(6)", "25:00:00.500000", DataTypes.BIGINT(), 90_000_500_000L},
            {"n", "int", "int(11)", null, DataTypes.INT(), null},
        };
        List<Column> table = new ArrayList<>();
        List<DataTypes.Field> fields = new ArrayList<>();
        String[] image = new String[columns.length];
        Object[] expected = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            Object[] c = columns[i];
            table.add(new Column((String) c[0], (String) c[1], (String) c[2], true, null, false));
            image[i] = (String) c[3];
            fields.add(DataTypes.FIELD((String) c[0], (DataType) c[4]));
            expected[i] = c[5];
        }
        SyncTable types =
                new SyncTable(
                        "app",
                        "types",
                        table,
                        new int[] {1},
                        -1,
                        ShardRule.MOD,
                        -1,
                        List.of(),
                        "",
                        SchemaChanges.of(SchemaChangePolicy.FAIL));
        ChangeEvent insert = event(Op.INSERT, null, image);
        insert.table = "types";
        List<RowData> rows =
                new DebeziumRows(DataTypes.ROW(fields.toArray(DataTypes.Field[]::new)))
                        .read(JSON.writeValueAsBytes(ChangeEnvelope.value(insert, types)));
        assertEquals(List.of(GenericRowData.ofKind(RowKind.INSERT, expected)), rows);
    }

    private static GenericRowData row(RowKind kind, String amount, Instant at) {
        return GenericRowData.ofKind(
                kind,
                7L,
                StringData.fromString("K1 "),
                DecimalData.fromBigDecimal(new BigDecimal(amount), 10, 2),
                at == null ? null : TimestampData.fromInstant(at));
    }

    @Test
    void keyBytesAreStableForOneRow() throws Exception {
        ChangeMessages messages =
                new ChangeMessages(List.of(config("orders", "t")), List.of(ORDERS));
        assertArrayEquals(
                messages.serialize(event(Op.INSERT, null, OLD), null, null).key(),
                messages.serialize(event(Op.UPDATE, OLD, NEW), null, null).key());
    }
}

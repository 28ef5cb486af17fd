package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardsync.config.KafkaSourceConfig.Format;
import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import io.shardsync.model.SyncTable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Debezium and Canal JSON messages, in the shapes their documentation gives, into change events
 * whose images are the job's canonical text ({@link ValueConverter}) for every column type.
 */
class KafkaMessageParserTest {
    private static final List<Column> COLUMNS =
            List.of(
                    column("id", "int", "int(11)"),
                    column("ti", "tinyint", "tinyint(4)"),
                    column("ub", "bigint", "bigint(20) unsigned"),
                    column("dc", "decimal", "decimal(20,6)"),
                    column("fl", "float", "float"),
                    column("dbl", "double", "double"),
                    new Column("vc", "varchar", "varchar(20)", true, "utf8mb4_bin", false),
                    column("bn", "varbinary", "varbinary(8)"),
                    column("d", "date", "date"),
                    column("dt", "datetime", "datetime"),
                    column("dt3", "datetime", "datetime(3)"),
                    column("dt6", "datetime", "datetime(6)"),
                    column("ts", "timestamp", "timestamp(6)"),
                    column("tm", "time", "time(6)"),
                    column("b1", "bit", "bit(1)"),
                    column("b12", "bit", "bit(12)"),
                    column("js", "json", "longtext"),
                    column("yr", "year", "year(4)"),
                    column("en", "enum", "enum('a','b')"),
                    column("n", "int", "int(11)"),
                    column("version", "bigint", "bigint(20)"));

    private static final SyncTable TYPES =
            new SyncTable(
                    "app",
                    "types",
                    COLUMNS,
                    new int[] {0},
                    -1,
                    ShardRule.MOD,
                    COLUMNS.size() - 1,
                    List.of(),
                    null,
                    SchemaChanges.of(SchemaChangePolicy.EVOLVE));

    /** Every column in canonical text (row 1, version 4). */
    private static final String[] CANONICAL = {
        "1",
        "-128",
        "18446744073709551615",
        "-12345678901234.000100",
        "1.5",
        "2.25E-10",
        "Grüße 😀",
        "00ff10",
        "2024-02-29",
        "2024-02-29 13:14:15.000000",
        "2024-02-29 13:14:15.123000",
        "2024-02-29 13:14:15.123456",
        "2024-02-29 13:14:15.000001",
        "25:00:00.500000",
        "1",
        "2049",
        "{\"a\": [1, 2]}",
        "2024",
        "b",
        null,
        "4"
    };

    /** Row 1 as Debezium's JSON converter writes it with schemas off (README "Kafka"). */
    private static final String DEBEZIUM_ROW =
            "{\"id\": 1, \"ti\": -128, \"ub\": 18446744073709551615,"
                    + " \"dc\": \"-12345678901234.000100\", \"fl\": 1.5, \"dbl\": 2.25E-10,"
                    + " \"vc\": \"Grüße 😀\", \"bn\": \"AP8Q\", \"d\": 19782,"
                    + " \"dt\": 1709212455000, \"dt3\": 1709212455123, \"dt6\": 1709212455123456,"
                    + " \"ts\": \"2024-02-29T13:14:15.000001Z\", \"tm\": 90000500000, \"b1\": true,"
                    + " \"b12\": \"AQg=\", \"js\": \"{\\\"a\\\": [1, 2]}\", \"yr\": 2024,"
                    + " \"en\": \"b\", \"n\": null, \"version\": 4}";

    /** Row 1 as Canal writes it: MySQL's text of every value, binary as ISO-8859-1 characters. */
    private static final String CANAL_ROW =
            "{\"id\": \"1\", \"ti\": \"-128\", \"ub\": \"18446744073709551615\","
                    + " \"dc\": \"-12345678901234.000100\", \"fl\": \"1.5\", \"dbl\": \"2.25E-10\","
                    + " \"vc\": \"Grüße 😀\", \"bn\": \"\\u0000\\u00ff\\u0010\", \"d\": \"2024-02-29\","
                    + " \"dt\": \"2024-02-29 13:14:15\", \"dt3\": \"2024-02-29 13:14:15.123\","
                    + " \"dt6\": \"2024-02-29 13:14:15.123456\", \"ts\": \"2024-02-29 13:14:15.000001\","
                    + " \"tm\": \"25:00:00.5\", \"b1\": \"1\", \"b12\": \"2049\","
                    + " \"js\": \"{\\\"a\\\": [1, 2]}\", \"yr\": \"2024\", \"en\": \"b\", \"n\": null,"
                    + " \"version\": \"4\"}";

    private static Column column(String name, String dataType, String columnType) {
        return new Column(name, dataType, columnType, true, null, false);
    }

    private static List<ChangeEvent> parse(Format format, String json)
            throws KafkaMessageParser.Malformed {
        return new KafkaMessageParser("orders-topic", format, List.of(TYPES))
                .parse(new KafkaMessage("app.types", 2, 17, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String malformed(Format format, String json) {
        return assertThrows(KafkaMessageParser.Malformed.class, () -> parse(format, json))
                .getMessage();
    }

    private static String debezium(String op, String before, String after) {
        return "{\"before\": "
                + before
                + ", \"after\": "
                + after
                + ", \"source\": {\"version\": \"2.7.0.Final\", \"connector\": \"mysql\","
                + " \"name\": \"app\", \"ts_ms\": 1709212456000, \"snapshot\": \"false\","
                + " \"db\": \"app\", \"sequence\": null, \"table\": \"types\", \"server_id\": 1,"
                + " \"gtid\": null, \"file\": \"binlog.000042\", \"pos\": 1234, \"row\": 1,"
                + " \"thread\": 7, \"query\": null}, \"op\": \""
                + op
                + "\", \"ts_ms\": 1709212456310, \"transaction\": null}";
    }

    private static String canal(String type, String data, String old) {
        return "{\"data\": "
                + data
                + ", \"database\": \"app\", \"es\": 1709212456000, \"id\": 3, \"isDdl\": false,"
                + " \"mysqlType\": {\"id\": \"int(11)\", \"vc\": \"varchar(20)\"},"
                + " \"old\": "
                + old
                + ", \"pkNames\": [\"id\"], \"sql\": \"\", \"sqlType\": {\"id\": 4, \"vc\": 12},"
                + " \"table\": \"types\", \"ts\": 1709212456310, \"type\": \""
                + type
                + "\"}";
    }

    private static String[] with(String[] image, int column, String value) {
        String[] copy = image.clone();
        copy[column] = value;
        return copy;
    }

    @Test
    void aDebeziumInsertIsOneChangeInCanonicalTextOrderedByVersionAndPosition() throws Exception {
        List<ChangeEvent> changes =
                parse(Format.DEBEZIUM_JSON, debezium("c", "null", DEBEZIUM_ROW));
        assertEquals(1, changes.size());
        ChangeEvent insert = changes.get(0);
        assertEquals(Op.INSERT, insert.op);
        assertEquals("orders-topic", insert.sourceId);
        assertEquals("app.types", insert.qualifiedTable());
        assertArrayEquals(CANONICAL, insert.after);
        assertNull(insert.before);
        assertNull(insert.columns);
        assertArrayEquals(new String[] {"1"}, insert.key);
        assertEquals(new RowVersion(4, 42, 1234, 1), insert.version);
        assertEquals("binlog.000042", insert.binlogFile);
        assertEquals(1709212456000L, insert.sourceTimeMs);
        assertEquals(
                Op.READ,
                parse(Format.DEBEZIUM_JSON, debezium("r", "null", DEBEZIUM_ROW)).get(0).op);
    }

    @Test
    void aDebeziumUpdateIsOneChangeAndAKeyChangeADeleteAndAnInsert() throws Exception {
        String newer =
                DEBEZIUM_ROW
                        .replace("\"vc\": \"Grüße 😀\"", "\"vc\": \"x\"")
                        .replace("\"version\": 4", "\"version\": 5");
        List<ChangeEvent> update = parse(Format.DEBEZIUM_JSON, debezium("u", DEBEZIUM_ROW, newer));
        assertEquals(1, update.size());
        assertEquals(Op.UPDATE, update.get(0).op);
        assertArrayEquals(CANONICAL, update.get(0).before);
        assertArrayEquals(with(with(CANONICAL, 6, "x"), 20, "5"), update.get(0).after);
        assertEquals(5, update.get(0).version.value);

        List<ChangeEvent> moved =
                parse(
                        Format.DEBEZIUM_JSON,
                        debezium("u", DEBEZIUM_ROW, newer.replace("\"id\": 1", "\"id\": 2")));
        assertEquals(List.of(Op.DELETE, Op.INSERT), moved.stream().map(e -> e.op).toList());
        assertArrayEquals(new String[] {"1"}, moved.get(0).key);
        assertArrayEquals(new String[] {"2"}, moved.get(1).key);

        List<ChangeEvent> delete = parse(Format.DEBEZIUM_JSON, debezium("d", DEBEZIUM_ROW, "null"));
        assertEquals(Op.DELETE, delete.get(0).op);
        assertArrayEquals(CANONICAL, delete.get(0).before);
        assertNull(delete.get(0).after);
        assertEquals(4, delete.get(0).version.value);
    }

    @Test
    void canalRowsOfOneMessageAreOneChangeEach() throws Exception {
        String second = CANAL_ROW.replace("\"id\": \"1\"", "\"id\": \"2\"");
        List<ChangeEvent> inserts =
                parse(
                        Format.CANAL_JSON,
                        canal("INSERT", "[" + CANAL_ROW + ", " + second + "]", "null"));
        assertEquals(2, inserts.size());
        assertArrayEquals(CANONICAL, inserts.get(0).after);
        assertArrayEquals(with(CANONICAL, 0, "2"), inserts.get(1).after);
        assertEquals(Op.INSERT, inserts.get(1).op);
        assertEquals(new RowVersion(4, 0, 0, 0), inserts.get(0).version);
        assertEquals(1709212456000L, inserts.get(0).sourceTimeMs);
        assertEquals("", inserts.get(0).binlogFile);

        // "old" holds the changed columns' previous values only
        String newer =
                CANAL_ROW
                        .replace("\"vc\": \"Grüße 😀\"", "\"vc\": \"x\"")
                        .replace("\"version\": \"4\"", "\"version\": \"5\"");
        List<ChangeEvent> update =
                parse(
                        Format.CANAL_JSON,
                        canal(
                                "UPDATE",
                                "[" + newer + "]",
                                "[{\"vc\": \"Grüße 😀\", \"version\": \"4\"}]"));
        assertEquals(1, update.size());
        assertEquals(Op.UPDATE, update.get(0).op);
        assertArrayEquals(CANONICAL, update.get(0).before);
        assertArrayEquals(with(with(CANONICAL, 6, "x"), 20, "5"), update.get(0).after);

        List<ChangeEvent> deletes =
                parse(
                        Format.CANAL_JSON,
                        canal("DELETE", "[" + CANAL_ROW + ", " + second + "]", "null"));
        assertEquals(List.of(Op.DELETE, Op.DELETE), deletes.stream().map(e -> e.op).toList());
        assertEquals(List.of("1", "2"), deletes.stream().map(e -> e.key[0]).toList());
    }

    @Test
    void aCanalDdlMessageIsNoChange() throws Exception {
        String ddl =
                "{\"data\": null, \"database\": \"app\", \"es\": 1709212456000, \"id\": 4,"
                        + " \"isDdl\": true, \"mysqlType\": null, \"old\": null, \"pkNames\": null,"
                        + " \"sql\": \"ALTER TABLE types ADD COLUMN x INT\", \"sqlType\": null,"
                        + " \"table\": \"types\", \"ts\": 1709212456310, \"type\": \"ALTER\"}";
        assertEquals(List.of(), parse(Format.CANAL_JSON, ddl));
    }

    @Test
    void whatDoesNotParseIsMalformedWithItsReason() {
        assertEquals(
                "not JSON: Unexpected character ('n' (code 110)): was expecting double-quote to start field name",
                malformed(Format.DEBEZIUM_JSON, "{not json"));
        assertEquals("not a JSON object", malformed(Format.CANAL_JSON, "[1]"));
        assertEquals(
                "no text field db",
                malformed(
                        Format.DEBEZIUM_JSON, "{\"op\": \"c\", \"after\": " + DEBEZIUM_ROW + "}"));
        assertEquals(
                "no number field es",
                malformed(
                        Format.CANAL_JSON,
                        canal("INSERT", "[" + CANAL_ROW + "]", "null").replace("\"es\"", "\"e\"")));
        assertEquals(
                "table app.other is not synced by the job",
                malformed(
                        Format.CANAL_JSON,
                        canal("INSERT", "[" + CANAL_ROW + "]", "null")
                                .replace("\"types\"", "\"other\"")));
        assertEquals(
                "column ts of app.types missing",
                malformed(
                        Format.CANAL_JSON,
                        canal(
                                "INSERT",
                                "[" + CANAL_ROW.replace("\"ts\":", "\"tz\":") + "]",
                                "null")));
        assertEquals(
                "canal-json: NumberFormatException: For input string: \"abc\"",
                malformed(
                        Format.CANAL_JSON,
                        canal(
                                "INSERT",
                                "[" + CANAL_ROW.replace("\"-128\"", "\"abc\"") + "]",
                                "null")));
        assertEquals(
                "a value does not parse: DateTimeException: Invalid date 'FEBRUARY 30'",
                malformed(
                        Format.CANAL_JSON,
                        canal(
                                "INSERT",
                                "[" + CANAL_ROW.replace("\"2024-02-29\"", "\"2024-02-30\"") + "]",
                                "null")));
        assertEquals(
                "debezium-json: IllegalStateException: The \"before\" field of UPDATE message is"
                        + " null",
                malformed(Format.DEBEZIUM_JSON, debezium("u", "null", DEBEZIUM_ROW))
                        .split(", if")[0]);
        assertEquals(
                "debezium-json: IOException: Unknown \"op\" value \"x\"",
                malformed(Format.DEBEZIUM_JSON, debezium("x", "null", DEBEZIUM_ROW))
                        .split("\\. The")[0]);
    }

    @Test
    void aDebeziumMessageOfTheTypesTableReadsEveryColumn() throws Exception {
        // every canonical form once more, by column name, for a reader of a failure
        String[] after =
                parse(Format.DEBEZIUM_JSON, debezium("c", "null", DEBEZIUM_ROW)).get(0).after;
        String[] canal =
                parse(Format.CANAL_JSON, canal("INSERT", "[" + CANAL_ROW + "]", "null"))
                        .get(0)
                        .after;
        for (int i = 0; i < COLUMNS.size(); i++) {
            assertEquals(CANONICAL[i], after[i], "debezium " + COLUMNS.get(i).name());
            assertEquals(CANONICAL[i], canal[i], "canal " + COLUMNS.get(i).name());
        }
        assertEquals(Arrays.asList(CANONICAL), Arrays.asList(after));
    }
}

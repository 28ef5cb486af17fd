package io.shardsync.sink.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.model.Column;
import org.junit.jupiter.api.Test;

/** Each column type's canonical text as Debezium's schema-less JSON converter writes it. */
class DebeziumJsonTest {
    /** The JSON text of one value of a column of the given types. */
    private static String json(String dataType, String columnType, String text) {
        Column column = new Column("c", dataType, columnType, true, null, false);
        return DebeziumJson.value(column, text).toString();
    }

    @Test
    void integersAreNumbersEvenPastTwoToTheSixtyThird() {
        assertEquals("-5", json("tinyint", "tinyint(4)", "-5"));
        assertEquals("65535", json("smallint", "smallint(5) unsigned", "65535"));
        assertEquals("-8388608", json("mediumint", "mediumint(9)", "-8388608"));
        assertEquals("4294967295", json("int", "int(10) unsigned", "4294967295"));
        assertEquals("-9223372036854775808", json("bigint", "bigint(20)", "-9223372036854775808"));
        assertEquals(
                "18446744073709551615",
                json("bigint", "bigint(20) unsigned", "18446744073709551615"));
        assertEquals("2024", json("year", "year(4)", "2024"));
    }

    @Test
    void decimalIsAStringWithEveryDigitAndApproximateNumbersAreNumbers() {
        assertEquals(
                "\"-12345678901234.000100\"",
                json("decimal", "decimal(20,6)", "-12345678901234.000100"));
        assertEquals("1.5", json("float", "float", "1.5"));
        assertEquals("2.25E-10", json("double", "double", "2.25E-10"));
    }

    @Test
    void textEnumSetAndJsonAreStrings() {
        assertEquals("\"Grüße 😀\"", json("varchar", "varchar(20)", "Grüße 😀"));
        assertEquals("\"b\"", json("enum", "enum('a','b')", "b"));
        assertEquals("\"a,b\"", json("set", "set('a','b')", "a,b"));
        assertEquals("\"{\\\"a\\\": [1, 2]}\"", json("json", "json", "{\"a\": [1, 2]}"));
        assertEquals("\"{}\"", json("longtext", "longtext", "{}")); // MariaDB's JSON
    }

    @Test
    void binaryIsBase64OfTheBytes() {
        assertEquals("\"AP8Q\"", json("varbinary", "varbinary(16)", "00ff10"));
        assertEquals("\"\"", json("blob", "blob", ""));
    }

    @Test
    void bitOneIsABooleanWiderBitsLittleEndianBytes() {
        assertEquals("true", json("bit", "bit(1)", "1"));
        assertEquals("false", json("bit", "bit(1)", "0"));
        assertEquals("\"AQg=\"", json("bit", "bit(12)", "2049")); // 0x0801 -> 01 08
        assertEquals("\"//////////8=\"", json("bit", "bit(64)", "18446744073709551615"));
    }

    @Test
    void temporalTypesAsAdaptiveTimeMicroseconds() {
        assertEquals("19782", json("date", "date", "2024-02-29"));
        assertEquals("-1", json("date", "date", "1969-12-31"));
        assertEquals("1709212455000", json("datetime", "datetime", "2024-02-29 13:14:15.000000"));
        assertEquals(
                "1709212455123", json("datetime", "datetime(3)", "2024-02-29 13:14:15.123000"));
        assertEquals(
                "1709212455123456", json("datetime", "datetime(6)", "2024-02-29 13:14:15.123456"));
        assertEquals("-1", json("datetime", "datetime(3)", "1969-12-31 23:59:59.999000"));
        assertEquals(
                "\"2024-02-29T13:14:15.000001Z\"",
                json("timestamp", "timestamp(6)", "2024-02-29 13:14:15.000001"));
        assertEquals(
                "\"2024-02-29T13:14:15Z\"",
                json("timestamp", "timestamp", "2024-02-29 13:14:15.000000"));
        assertEquals(
                "\"2024-02-29T13:14:15.12Z\"",
                json("timestamp", "timestamp(2)", "2024-02-29 13:14:15.120000"));
        assertEquals("90000500000", json("time", "time(6)", "25:00:00.500000"));
        assertEquals("-3020399000000", json("time", "time", "-838:59:59.000000"));
    }

    @Test
    void nullIsNullInEveryType() {
        for (String type : new String[] {"int", "decimal", "date", "bit", "blob", "varchar"}) {
            assertEquals("null", json(type, type, null));
        }
    }
}

package io.shardsync.sink.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.shardsync.model.Column;
import io.shardsync.source.ValueConverter;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * A column value as Debezium's JSON converter writes it without schemas (README "Kafka", type
 * table), from the job's canonical text ({@code source.ValueConverter}): integers as numbers
 * (BIGINT UNSIGNED exact, past 2^63 too), DECIMAL as a string ({@code
 * decimal.handling.mode=string}), binary as base64, temporal types as Debezium's default {@code
 * time.precision.mode=adaptive_time_microseconds} encodes them, BIT(1) as a boolean.
 */
final class DebeziumJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private DebeziumJson() {}

    static JsonNode value(Column column, String text) {
        if (text == null) {
            return NODES.nullNode();
        }
        return switch (column.dataType()) {
            case "tinyint", "smallint", "mediumint", "int", "bigint", "year" -> integer(text);
            case "float", "double" -> NODES.numberNode(Double.parseDouble(text));
            case "bit" -> bits(column, text);
            case "date" -> NODES.numberNode(LocalDate.parse(text).toEpochDay());
            case "datetime" -> dateTime(column, text);
            case "timestamp" -> NODES.textNode(isoInstant(text, fraction(column)));
            case "time" -> NODES.numberNode(ValueConverter.timeMicros(text));
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                    NODES.binaryNode(HEX.parseHex(text)); // Jackson writes binary as base64
                // DECIMAL as text keeps every digit; CHAR/TEXT, ENUM, SET and JSON are strings in
                // Debezium too; other types (spatial) keep their canonical text.
            default -> NODES.textNode(text);
        };
    }

    private static JsonNode integer(String text) {
        // Up to 18 digits fit a long whatever they are; BIGINT UNSIGNED may need more.
        return text.length() <= 18
                ? NODES.numberNode(Long.parseLong(text))
                : NODES.numberNode(new BigInteger(text));
    }

    /** BIT(1) is a boolean; wider BITs are Debezium's little-endian bytes, (n + 7) / 8 of them. */
    private static JsonNode bits(Column column, String text) {
        long value = Long.parseUnsignedLong(text);
        int width = column.typeLength(1);
        if (width == 1) {
            return NODES.booleanNode(value != 0);
        }
        byte[] bytes = new byte[(width + 7) / 8];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        return NODES.binaryNode(bytes);
    }

    /**
     * DATETIME(0..3) as epoch milliseconds ({@code io.debezium.time.Timestamp}), DATETIME(4..6) as
     * epoch microseconds ({@code MicroTimestamp}): milliseconds would drop the column's digits.
     */
    private static JsonNode dateTime(Column column, String text) {
        long micros = ValueConverter.epochMicros(text);
        return fraction(column) <= 3
                ? NODES.numberNode(Math.floorDiv(micros, 1000L))
                : NODES.numberNode(micros);
    }

    /**
     * TIMESTAMP as {@code io.debezium.time.ZonedTimestamp}: ISO-8601 in UTC with the column's
     * fraction digits, e.g. {@code 2024-02-29T13:14:15.123456Z}. The canonical text is UTC already.
     */
    static String isoInstant(String text, int fractionDigits) {
        int seconds = text.indexOf('.') < 0 ? text.length() : text.indexOf('.');
        StringBuilder iso = new StringBuilder(text.substring(0, seconds).replace(' ', 'T'));
        if (fractionDigits > 0) {
            String fraction = seconds < text.length() ? text.substring(seconds + 1) : "";
            iso.append('.').append((fraction + "000000").substring(0, fractionDigits));
        }
        return iso.append('Z').toString();
    }

    /** Fraction digits of a temporal column ({@code datetime(6)}: 6; {@code datetime}: 0). */
    private static int fraction(Column column) {
        return column.typeLength(0);
    }
}

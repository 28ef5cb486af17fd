package io.shardsync.source;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;

/**
 * Turns a Debezium column value into canonical text that MySQL/MariaDB reads back as the same
 * value: DECIMAL as plain digits, temporal types with six fraction digits in UTC, binary as hex,
 * BIT as an unsigned integer. Exact round trips are what the shards' "every column equal" rests on.
 */
public final class ValueConverter {
    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final HexFormat HEX = HexFormat.of();

    private ValueConverter() {}

    public static String toText(Object value, Schema schema) {
        if (value == null) {
            return null;
        }
        String logical = schema.name() == null ? "" : schema.name();
        return switch (logical) {
            case "io.debezium.time.Date" -> LocalDate.ofEpochDay((Integer) value).toString();
            case "io.debezium.time.Timestamp" -> dateTime(Math.multiplyExact((Long) value, 1000L));
            case "io.debezium.time.MicroTimestamp" -> dateTime((Long) value);
            case "io.debezium.time.ZonedTimestamp" ->
                    DATETIME.format(
                            LocalDateTime.ofInstant(Instant.parse((String) value), ZoneOffset.UTC));
            case "io.debezium.time.Time" -> time(Math.multiplyExact((Integer) value, 1000L));
            case "io.debezium.time.MicroTime" -> time((Long) value);
            case "io.debezium.data.Bits" -> Long.toUnsignedString(littleEndian(bytes(value)));
            case "org.apache.kafka.connect.data.Decimal" -> ((BigDecimal) value).toPlainString();
            default -> plain(value);
        };
    }

    private static String plain(Object value) {
        if (value instanceof ByteBuffer || value instanceof byte[]) {
            return HEX.formatHex(bytes(value));
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return value.toString();
    }

    /** DATETIME/TIMESTAMP text for microseconds since the epoch (UTC wall clock). */
    public static String dateTime(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        int nanos = (int) Math.floorMod(epochMicros, 1_000_000L) * 1000;
        return DATETIME.format(LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC));
    }

    /** Microseconds since the epoch of canonical DATETIME text; the order of TIMESTAMP versions. */
    public static long epochMicros(String dateTime) {
        LocalDateTime t = LocalDateTime.parse(dateTime.replace(' ', 'T'));
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
    }

    /** TIME text; MySQL TIME is a signed duration up to 838 hours, not a time of day. */
    static String time(long micros) {
        String sign = micros < 0 ? "-" : "";
        long abs = Math.abs(micros);
        long seconds = abs / 1_000_000L;
        return String.format(
                "%s%02d:%02d:%02d.%06d",
                sign, seconds / 3600, (seconds / 60) % 60, seconds % 60, abs % 1_000_000L);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] array) {
            return array;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] array = new byte[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    private static long littleEndian(byte[] bytes) {
        long result = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            result = (result << 8) | (bytes[i] & 0xFF);
        }
        return result;
    }
}

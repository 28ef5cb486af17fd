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
            case "io.debezium.time.ZonedTimestamp" -> zonedTimestamp((String) value);
            case "io.debezium.time.Time" -> time(Math.multiplyExact((Integer) value, 1000L));
            case "io.debezium.time.MicroTime" -> time((Long) value);
            case "io.debezium.data.Bits" -> bits(bytes(value));
            case "org.apache.kafka.connect.data.Decimal" -> ((BigDecimal) value).toPlainString();
            default -> plain(value);
        };
    }

    private static String plain(Object value) {
        if (value instanceof ByteBuffer || value instanceof byte[]) {
            return hex(bytes(value));
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return value.toString();
    }

    /** Binary values as lower-case hex. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** BIT as an unsigned integer, from Debezium's little-endian bytes. */
    public static String bits(byte[] littleEndian) {
        return Long.toUnsignedString(littleEndian(littleEndian));
    }

    /** TIMESTAMP text (UTC wall clock) of Debezium's ISO-8601 instant, e.g. {@code ...Z}. */
    public static String zonedTimestamp(String iso) {
        return DATETIME.format(LocalDateTime.ofInstant(Instant.parse(iso), ZoneOffset.UTC));
    }

    /**
     * DATETIME/TIMESTAMP text for microseconds since the epoch (UTC wall clock). Written digit by
     * digit: it runs for every temporal value of every change, where a DateTimeFormatter was a
     * quarter of the source task's time.
     */
    public static String dateTime(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        if (date.getYear() < 1 || date.getYear() > 9999) {
            return DATETIME.format(
                    LocalDateTime.ofEpochSecond(seconds, micros * 1000, ZoneOffset.UTC));
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        char[] text = "0000-00-00 00:00:00.000000".toCharArray();
        digits(text, 0, 4, date.getYear());
        digits(text, 5, 2, date.getMonthValue());
        digits(text, 8, 2, date.getDayOfMonth());
        digits(text, 11, 2, secondOfDay / 3600);
        digits(text, 14, 2, secondOfDay / 60 % 60);
        digits(text, 17, 2, secondOfDay % 60);
        digits(text, 20, 6, micros);
        return new String(text);
    }

    /**
     * Microseconds since the epoch of DATETIME text ({@code yyyy-MM-dd HH:mm:ss[.f...]}, as the job
     * and MySQL write it); the order of TIMESTAMP versions and the precise source time of latency.
     */
    public static long epochMicros(String dateTime) {
        int length = dateTime.length();
        boolean plain =
                (length == 19 || (length > 20 && length <= 26 && dateTime.charAt(19) == '.'))
                        && dateTime.charAt(4) == '-'
                        && dateTime.charAt(7) == '-'
                        && dateTime.charAt(10) == ' '
                        && dateTime.charAt(13) == ':'
                        && dateTime.charAt(16) == ':';
        if (!plain) {
            LocalDateTime t = LocalDateTime.parse(dateTime.replace(' ', 'T'));
            return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
        }
        long days =
                LocalDate.of(number(dateTime, 0, 4), number(dateTime, 5, 2), number(dateTime, 8, 2))
                        .toEpochDay();
        long seconds =
                days * 86_400L
                        + number(dateTime, 11, 2) * 3600L
                        + number(dateTime, 14, 2) * 60L
                        + number(dateTime, 17, 2);
        int micros = 0;
        if (length > 19) {
            micros = number(dateTime, 20, length - 20);
            for (int i = length - 20; i < 6; i++) {
                micros *= 10;
            }
        }
        return seconds * 1_000_000L + micros;
    }

    private static void digits(char[] text, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int number(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a DATETIME: " + text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Microseconds of TIME text ({@code [-]h:mm:ss[.f...]}): a signed duration. */
    public static long timeMicros(String text) {
        boolean negative = text.startsWith("-");
        String[] parts = (negative ? text.substring(1) : text).split("[:.]");
        long micros =
                (Long.parseLong(parts[0]) * 3600
                                + Long.parseLong(parts[1]) * 60
                                + Long.parseLong(parts[2]))
                        * 1_000_000L;
        if (parts.length > 3) {
            micros += Long.parseLong((parts[3] + "000000").substring(0, 6));
        }
        return negative ? -micros : micros;
    }

    /** TIME text; MySQL TIME is a signed duration up to 838 hours, not a time of day. */
    public static String time(long micros) {
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

package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Decimal;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

class ValueConverterTest {
    private static Schema logical(Schema base, String name) {
        return SchemaBuilder.type(base.type()).name(name).optional().build();
    }

    @Test
    void temporalTypesBecomeUtcTextWithMicroseconds() {
        assertEquals(
                "2024-02-29",
                ValueConverter.toText(
                        19782, logical(Schema.INT32_SCHEMA, "io.debezium.time.Date")));
        assertEquals(
                "2024-02-29 13:14:15.123000",
                ValueConverter.toText(
                        1709212455123L,
                        logical(Schema.INT64_SCHEMA, "io.debezium.time.Timestamp")));
        assertEquals(
                "2024-02-29 13:14:15.123456",
                ValueConverter.toText(
                        1709212455123456L,
                        logical(Schema.INT64_SCHEMA, "io.debezium.time.MicroTimestamp")));
        assertEquals(
                "1969-12-31 23:59:59.999999",
                ValueConverter.toText(
                        -1L, logical(Schema.INT64_SCHEMA, "io.debezium.time.MicroTimestamp")));
        assertEquals(
                "2024-02-29 13:14:15.000001",
                ValueConverter.toText(
                        "2024-02-29T13:14:15.000001Z",
                        logical(Schema.STRING_SCHEMA, "io.debezium.time.ZonedTimestamp")));
    }

    @Test
    void timeIsASignedDurationBeyondOneDay() {
        Schema micro = logical(Schema.INT64_SCHEMA, "io.debezium.time.MicroTime");
        assertEquals("25:00:00.500000", ValueConverter.toText(90_000_500_000L, micro));
        assertEquals("-838:59:59.000000", ValueConverter.toText(-3_020_399_000_000L, micro));
    }

    @Test
    void numbersKeepEveryDigit() {
        assertEquals(
                "-12345678901234.000100",
                ValueConverter.toText(new BigDecimal("-12345678901234.000100"), Decimal.schema(6)));
        assertEquals(
                "18446744073709551615",
                ValueConverter.toText(new BigDecimal("18446744073709551615"), Decimal.schema(0)));
        assertEquals("0.1", ValueConverter.toText(0.1d, Schema.FLOAT64_SCHEMA));
    }

    @Test
    void bitsBytesAndBooleans() {
        Schema bits = logical(Schema.BYTES_SCHEMA, "io.debezium.data.Bits");
        // Debezium's Bits are little-endian: 0b1010_1010_1010 = 2730
        assertEquals("2730", ValueConverter.toText(new byte[] {(byte) 0xAA, 0x0A}, bits));
        assertEquals(
                "00ff10",
                ValueConverter.toText(
                        ByteBuffer.wrap(new byte[] {0, (byte) 0xFF, 0x10}), Schema.BYTES_SCHEMA));
        assertEquals("1", ValueConverter.toText(true, Schema.BOOLEAN_SCHEMA));
        assertEquals("😀 ok", ValueConverter.toText("😀 ok", Schema.STRING_SCHEMA));
        assertNull(ValueConverter.toText(null, Schema.OPTIONAL_STRING_SCHEMA));
    }

    @Test
    void versionTimestampsOrderByMicroseconds() {
        assertEquals(1709212455123456L, ValueConverter.epochMicros("2024-02-29 13:14:15.123456"));
    }

    @Test
    void dateTimeTextMatchesJavaTimeAcrossTheDatetimeRange() {
        DateTimeFormatter reference = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
        long min = LocalDateTime.of(1000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
        long max =
                LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC)
                        * 1_000_000L;
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long micros = min + (long) (random.nextDouble() * (max - min));
            LocalDateTime t =
                    LocalDateTime.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000L),
                            (int) Math.floorMod(micros, 1_000_000L) * 1000,
                            ZoneOffset.UTC);
            String text = ValueConverter.dateTime(micros);
            assertEquals(reference.format(t), text);
            assertEquals(micros, ValueConverter.epochMicros(text));
            // MySQL's own text drops trailing fraction digits or the fraction altogether
            String shorter = text.substring(0, 19 + random.nextInt(8)).replaceAll("\\.$", "");
            assertEquals(
                    LocalDateTime.parse(shorter.replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC)
                                    * 1_000_000L
                            + LocalDateTime.parse(shorter.replace(' ', 'T')).getNano() / 1000,
                    ValueConverter.epochMicros(shorter),
                    shorter);
        }
    }
}

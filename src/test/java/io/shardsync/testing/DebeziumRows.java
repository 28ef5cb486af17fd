package io.shardsync.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.debezium.DebeziumJsonDeserializationSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.util.Collector;

/**
 * Flink's own {@code debezium-json} format (schema-less envelopes, ISO-8601 timestamps) reading
 * change topic messages into changelog rows, as a Flink SQL table over the topic would.
 */
public final class DebeziumRows {
    private final DebeziumJsonDeserializationSchema format;

    public DebeziumRows(DataType rowType) throws Exception {
        format =
                new DebeziumJsonDeserializationSchema(
                        rowType,
                        List.of(),
                        TypeInformation.of(RowData.class),
                        false,
                        false,
                        TimestampFormat.ISO_8601);
        format.open(null);
    }

    /** The rows of one message: +I, -U and +U, or -D. */
    public List<RowData> read(String message) throws Exception {
        return read(message.getBytes(StandardCharsets.UTF_8));
    }

    public List<RowData> read(byte[] message) throws Exception {
        List<RowData> rows = new ArrayList<>();
        format.deserialize(
                message,
                new Collector<>() {
                    @Override
                    public void collect(RowData row) {
                        rows.add(row);
                    }

                    @Override
                    public void close() {}
                });
        return rows;
    }
}

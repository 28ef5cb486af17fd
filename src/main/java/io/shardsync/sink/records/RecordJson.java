package io.shardsync.sink.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** JSON of side-output records: a field array for the control tables, an object for Kafka. */
final class RecordJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordJson() {}

    static String array(Object[] values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a record", e);
        }
    }

    static <T> byte[] object(RecordFormat<T> format, T record) {
        ObjectNode node = JSON.createObjectNode();
        Object[] values = format.values(record);
        for (int i = 0; i < values.length; i++) {
            node.set(format.fields().get(i).name(), JSON.valueToTree(values[i]));
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Binds a field array to parameters {@code p..}; a row image becomes its JSON text. */
    static int bind(PreparedStatement statement, int p, String row) throws SQLException {
        JsonNode values;
        try {
            values = JSON.readTree(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot decode a record", e);
        }
        for (JsonNode value : values) {
            if (value.isNull()) {
                statement.setNull(p++, Types.VARCHAR);
            } else if (value.isBoolean()) {
                statement.setBoolean(p++, value.booleanValue());
            } else if (value.isIntegralNumber()) {
                statement.setLong(p++, value.longValue());
            } else if (value.isTextual()) {
                statement.setString(p++, value.textValue());
            } else {
                statement.setString(p++, value.toString());
            }
        }
        return p;
    }
}

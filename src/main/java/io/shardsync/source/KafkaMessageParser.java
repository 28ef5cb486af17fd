package io.shardsync.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.config.KafkaSourceConfig.Format;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import io.shardsync.model.SyncTable;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.canal.CanalJsonDeserializationSchema;
import org.apache.flink.formats.json.debezium.DebeziumJsonDeserializationSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kafka source's message → {@link ChangeEvent}s. The rows and their values are read by Flink's
 * own formats ({@code debezium-json}, {@code canal-json}) with a row type built from the table's
 * columns ({@link MessageColumns}); this class reads only what picks the table and orders the
 * change — Debezium's {@code source.db}, {@code .table}, {@code .ts_ms}, {@code .file}, {@code
 * .pos}, {@code .row} and {@code op}, Canal's {@code database}, {@code table}, {@code isDdl} and
 * {@code es} — since the formats hand out envelope fields only through package-private metadata.
 * Anything that does not parse is a {@link Malformed} naming the reason.
 */
public final class KafkaMessageParser implements Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaMessageParser.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String sourceId;
    private final Format format;
    private final Map<String, SyncTable> tables = new HashMap<>();
    private transient Map<String, DeserializationSchema<RowData>> formats;

    public KafkaMessageParser(String sourceId, Format format, List<SyncTable> tables) {
        this.sourceId = sourceId;
        this.format = format;
        tables.forEach(t -> this.tables.put(t.qualifiedName(), t));
    }

    /** A message that is not a change of a synced table in the source's format. */
    public static final class Malformed extends Exception {
        Malformed(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /**
     * The changes of one message: one for a Debezium envelope (two for a key change), one per row
     * for Canal's batched rows, none for a Canal DDL message (logged: the job does not follow a
     * kafka source's schema changes).
     */
    public List<ChangeEvent> parse(KafkaMessage message) throws Malformed {
        JsonNode root;
        try {
            root = JSON.readTree(message.value);
        } catch (JsonProcessingException e) {
            throw new Malformed("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new Malformed("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new Malformed("not a JSON object", null);
        }
        boolean debezium = format == Format.DEBEZIUM_JSON;
        if (!debezium && root.path("isDdl").asBoolean(false)) {
            LOG.warn(
                    "{}: a DDL of {}.{} ignored (schema changes from a kafka source are not"
                            + " followed)",
                    message.where(),
                    root.path("database").asText(),
                    root.path("table").asText());
            return List.of();
        }
        JsonNode source = debezium ? root.path("source") : root;
        String qualified = text(source, debezium ? "db" : "database") + "." + text(source, "table");
        SyncTable table = tables.get(qualified);
        if (table == null) {
            throw new Malformed("table " + qualified + " is not synced by the job", null);
        }
        requireColumns(root, table, debezium);
        long timeMs = debezium ? number(source, "ts_ms") : number(root, "es");
        List<RowData> rows = new ArrayList<>();
        try {
            formatOf(table).deserialize(message.value, new ListCollector<>(rows));
        } catch (Exception e) {
            throw new Malformed(format.configName() + ": " + rootCause(e), e);
        }
        try {
            return changes(root, source, table, rows, timeMs, debezium);
        } catch (RuntimeException e) {
            throw new Malformed("a value does not parse: " + rootCause(e), e);
        }
    }

    private List<ChangeEvent> changes(
            JsonNode root,
            JsonNode source,
            SyncTable table,
            List<RowData> rows,
            long timeMs,
            boolean debezium) {
        String file = debezium ? source.path("file").asText("") : "";
        RowVersion position =
                new RowVersion(
                        0,
                        RowVersion.fileIndex(file),
                        debezium ? source.path("pos").asLong(0) : 0,
                        debezium ? source.path("row").asInt(0) : 0);
        boolean snapshot = debezium && root.path("op").asText().equals("r");
        List<ChangeEvent> changes = new ArrayList<>();
        String[] before = null;
        for (RowData row : rows) {
            String[] image = MessageColumns.image(format, table.columns(), row);
            if (row.getRowKind() == RowKind.UPDATE_BEFORE) {
                before = image; // Flink's formats emit an update as -U, +U: one change again
                continue;
            }
            ChangeEvent event = new ChangeEvent();
            event.sourceId = sourceId;
            event.database = table.database();
            event.table = table.table();
            event.op =
                    switch (row.getRowKind()) {
                        case INSERT -> snapshot ? Op.READ : Op.INSERT;
                        case UPDATE_AFTER -> Op.UPDATE;
                        default -> Op.DELETE;
                    };
            event.before = event.op == Op.DELETE ? image : event.op == Op.UPDATE ? before : null;
            event.after = event.op == Op.DELETE ? null : image;
            event.key = table.keyOf(event.image(), null);
            event.binlogFile = file;
            event.sourceTimeMs = timeMs;
            event.readTimeMs = System.currentTimeMillis();
            event.version =
                    new RowVersion(
                            ChangeEventDeserializer.versionValue(table, event.image(), null),
                            position.fileIndex,
                            position.position,
                            position.row);
            ChangeEventDeserializer.emit(event, table, new ListCollector<>(changes));
            before = null;
        }
        return changes;
    }

    /**
     * Every column of the table in each row the message holds: Flink's formats read a missing field
     * as NULL, which would write NULL over the shards' value.
     */
    private static void requireColumns(JsonNode root, SyncTable table, boolean debezium)
            throws Malformed {
        List<JsonNode> images = new ArrayList<>();
        if (debezium) {
            images.add(root.path("before"));
            images.add(root.path("after"));
        } else {
            root.path("data").forEach(images::add);
        }
        for (JsonNode image : images) {
            if (!image.isObject()) {
                continue; // null before/after: the format checks what the op needs
            }
            for (Column column : table.columns()) {
                if (!image.has(column.name())) {
                    throw new Malformed(
                            "column " + column.name() + " of " + table.qualifiedName() + " missing",
                            null);
                }
            }
        }
    }

    private DeserializationSchema<RowData> formatOf(SyncTable table) throws Exception {
        if (formats == null) {
            formats = new HashMap<>();
        }
        DeserializationSchema<RowData> schema = formats.get(table.qualifiedName());
        if (schema == null) {
            schema = build(table);
            schema.open(null); // the JSON formats use no context
            formats.put(table.qualifiedName(), schema);
        }
        return schema;
    }

    private DeserializationSchema<RowData> build(SyncTable table) {
        var rowType = MessageColumns.rowType(format, table.columns());
        TypeInformation<RowData> produced = TypeInformation.of(RowData.class);
        return switch (format) {
            case DEBEZIUM_JSON ->
                    new DebeziumJsonDeserializationSchema(
                            rowType, List.of(), produced, false, false, TimestampFormat.ISO_8601);
            case CANAL_JSON ->
                    CanalJsonDeserializationSchema.builder(rowType, List.of(), produced).build();
        };
    }

    private static String text(JsonNode node, String field) throws Malformed {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new Malformed("no text field " + field, null);
        }
        return value.asText();
    }

    private static long number(JsonNode node, String field) throws Malformed {
        JsonNode value = node.path(field);
        if (!value.canConvertToLong()) {
            throw new Malformed("no number field " + field, null);
        }
        return value.asLong();
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}

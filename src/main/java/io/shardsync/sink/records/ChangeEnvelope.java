package io.shardsync.sink.records;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.Op;
import io.shardsync.model.SyncTable;
import java.util.ArrayList;
import java.util.List;

/**
 * An applied change as Debezium's MySQL connector writes it with schemas off (README "Kafka"): the
 * key is the primary key's columns, the value the envelope {@code before}, {@code after}, {@code
 * source}, {@code op}, {@code ts_ms}, so Flink's {@code debezium-json} format and Debezium
 * consumers read it unchanged.
 */
final class ChangeEnvelope {
    /** {@code source.version}: this envelope's producer, not a Debezium release. */
    static final String VERSION = "shardsync-1";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChangeEnvelope() {}

    /**
     * The primary key's columns and values. Text keys are in their collation's folded form ({@code
     * model/KeyText}), the form the merge keys a row by: keys MySQL holds equal ('k1', 'K1 ') are
     * one row, so one message key and one partition.
     */
    static ObjectNode key(ChangeEvent event, SyncTable table) {
        ObjectNode key = NODES.objectNode();
        int[] indexes = table.keyIndexes();
        for (int i = 0; i < indexes.length; i++) {
            Column column = table.columns().get(indexes[i]);
            key.set(column.name(), DebeziumJson.value(column, event.key[i]));
        }
        return key;
    }

    static ObjectNode value(ChangeEvent event, SyncTable table) {
        List<Column> columns = columnsOf(event, table);
        ObjectNode source = NODES.objectNode();
        source.put("version", VERSION);
        source.put("connector", "mysql");
        source.put("name", event.sourceId);
        // Snapshot rows have no commit time: Debezium gives them the time they were read.
        source.put("ts_ms", event.op == Op.READ ? event.readTimeMs : event.sourceTimeMs);
        source.put("snapshot", event.op == Op.READ ? "true" : "false");
        source.put("db", event.database);
        source.putNull("sequence");
        source.put("table", event.table);
        source.put("server_id", 0); // not carried by the change event
        source.putNull("gtid");
        source.put("file", event.binlogFile == null ? "" : event.binlogFile);
        source.put("pos", event.version.position);
        source.put("row", event.version.row);
        source.putNull("thread");
        source.putNull("query");

        ObjectNode envelope = NODES.objectNode();
        envelope.set("before", row(event.before, columns));
        envelope.set("after", row(event.after, columns));
        envelope.set("source", source);
        envelope.put("op", op(event.op));
        envelope.put("ts_ms", event.readTimeMs);
        envelope.putNull("transaction");
        return envelope;
    }

    /** Debezium's op code; a DDL is no row change and is never published. */
    static String op(Op op) {
        return switch (op) {
            case READ -> "r";
            case INSERT -> "c";
            case UPDATE -> "u";
            case DELETE -> "d";
            case DDL -> throw new IllegalArgumentException("a DDL is not a row change");
        };
    }

    /**
     * The columns of the event's images: the table's as the job was built, or after a schema change
     * the ones the event names; a column the job was not built with is published as text.
     */
    static List<Column> columnsOf(ChangeEvent event, SyncTable table) {
        if (event.columns == null) {
            return table.columns();
        }
        List<Column> columns = new ArrayList<>(event.columns.length);
        for (String name : event.columns) {
            int known = table.indexOf(name);
            columns.add(
                    known >= 0
                            ? table.columns().get(known)
                            : new Column(name, "text", "text", true, null, false));
        }
        return columns;
    }

    private static ObjectNode row(String[] image, List<Column> columns) {
        if (image == null) {
            return null;
        }
        ObjectNode row = NODES.objectNode();
        for (int i = 0; i < image.length; i++) {
            row.set(columns.get(i).name(), DebeziumJson.value(columns.get(i), image[i]));
        }
        return row;
    }
}

package io.shardsync.source;

import io.shardsync.model.SyncTable;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;

/**
 * The columns of a Debezium row schema: the table as it was at the record's binlog position. When
 * they are the columns the job was built with, images keep the table's order (and name no columns);
 * after a column DDL they follow the record and name their columns.
 */
final class RecordLayout {
    /** The record's fields in image order. */
    final Field[] fields;

    /** The image's column names; null when they are the table's. */
    final String[] columns;

    private RecordLayout(Field[] fields, String[] columns) {
        this.fields = fields;
        this.columns = columns;
    }

    static RecordLayout of(Schema schema, SyncTable table) {
        List<String> names = schema.fields().stream().map(Field::name).toList();
        String tableNames =
                table.columns().stream().map(c -> c.name()).collect(Collectors.joining("\u0000"));
        if (String.join("\u0000", names).equalsIgnoreCase(tableNames)) {
            return new RecordLayout(
                    table.columns().stream().map(c -> schema.field(c.name())).toArray(Field[]::new),
                    null);
        }
        return new RecordLayout(
                schema.fields().toArray(Field[]::new), names.toArray(String[]::new));
    }
}

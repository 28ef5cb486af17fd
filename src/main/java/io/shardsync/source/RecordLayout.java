package io.shardsync.source;

import io.shardsync.model.SyncTable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

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

    /**
     * The fields whose change keeps an update's before image ({@link BeforeImages}); null: every
     * update keeps it.
     */
    final Field[] placing;

    private RecordLayout(Field[] fields, String[] columns, Field[] placing) {
        this.fields = fields;
        this.columns = columns;
        this.placing = placing;
    }

    /** The layout of a record of the table, {@code placing} its placing columns (or null). */
    static RecordLayout of(Schema schema, SyncTable table, Set<String> placing) {
        Field[] placingFields =
                placing == null
                        ? null
                        : schema.fields().stream()
                                .filter(f -> placing.contains(f.name().toLowerCase(Locale.ROOT)))
                                .toArray(Field[]::new);
        List<String> names = schema.fields().stream().map(Field::name).toList();
        String tableNames =
                table.columns().stream().map(c -> c.name()).collect(Collectors.joining("\u0000"));
        if (String.join("\u0000", names).equalsIgnoreCase(tableNames)) {
            return new RecordLayout(
                    table.columns().stream().map(c -> schema.field(c.name())).toArray(Field[]::new),
                    null,
                    placingFields);
        }
        return new RecordLayout(
                schema.fields().toArray(Field[]::new), names.toArray(String[]::new), placingFields);
    }

    /**
     * Whether an update leaves every placing column as it was (compared as the record holds them: a
     * value its collation holds equal but spelled otherwise counts as changed), so its before image
     * is not needed.
     */
    boolean keepsPlace(Struct before, Struct after) {
        if (placing == null || before == null) {
            return false;
        }
        for (Field field : placing) {
            if (!Objects.deepEquals(before.get(field), after.get(field))) {
                return false;
            }
        }
        return true;
    }
}

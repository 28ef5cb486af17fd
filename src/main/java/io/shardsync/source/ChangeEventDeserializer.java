package io.shardsync.source;

import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.ChangeEventTypeInfo;
import io.shardsync.model.Column;
import io.shardsync.model.Ddl;
import io.shardsync.model.KeyGroupCopies;
import io.shardsync.model.Op;
import io.shardsync.model.RowKeys;
import io.shardsync.model.RowVersion;
import io.shardsync.model.SyncTable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.Collector;

/**
 * Debezium record → {@link ChangeEvent}, each row decoded with the table's columns at its binlog
 * position. An update that changes the primary key becomes a delete of the old key and an insert of
 * the new one, so each key's stream stays about one row. A schema change of a synced table becomes
 * one DDL event per key group of the merge ({@link KeyGroupCopies}).
 */
public class ChangeEventDeserializer implements DebeziumDeserializationSchema<ChangeEvent> {
    private final String sourceId;
    private final Map<String, SyncTable> tables = new HashMap<>();
    private final int mergeKeyGroups;
    private final RowKeys rowKeys;
    private final BeforeImages beforeImages;
    private static final int MAX_CACHED_SCHEMAS = 1_000;
    private transient Map<Schema, RecordLayout> layouts;

    /**
     * {@code mergeKeyGroups}: the merge's maximum parallelism; {@code beforeImages}: which updates
     * are read without their before image.
     */
    public ChangeEventDeserializer(
            String sourceId,
            List<SyncTable> tables,
            int mergeKeyGroups,
            BeforeImages beforeImages) {
        this.sourceId = sourceId;
        for (SyncTable table : tables) {
            this.tables.put(table.qualifiedName(), table);
        }
        this.mergeKeyGroups = mergeKeyGroups;
        this.rowKeys = RowKeys.of(tables);
        this.beforeImages = beforeImages;
    }

    @Override
    public void deserialize(SourceRecord record, Collector<ChangeEvent> out) {
        if (SchemaChange.isSchemaChange(record)) {
            schemaChange(SchemaChange.of(record), out);
            return;
        }
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return; // heartbeats carry no row
        }
        Struct source = value.getStruct("source");
        SyncTable table = tables.get(source.getString("db") + "." + source.getString("table"));
        if (table == null) {
            return;
        }
        ChangeEvent event = new ChangeEvent();
        event.sourceId = sourceId;
        event.database = table.database();
        event.table = table.table();
        event.op = op(value.getString("op"));
        Struct row = value.getStruct(event.op == Op.DELETE ? "before" : "after");
        RecordLayout layout = layoutOf(row.schema(), table);
        event.columns = layout.columns;
        Struct before = value.getStruct("before");
        Struct after = value.getStruct("after");
        event.before =
                event.op == Op.UPDATE && layout.keepsPlace(before, after)
                        ? null
                        : image(before, layout);
        event.after = image(after, layout);
        event.key = table.keyOf(event.image(), event.columns);
        event.readTimeMs = System.currentTimeMillis();
        boolean snapshot = event.op == Op.READ;
        event.sourceTimeMs = snapshot ? 0 : source.getInt64("ts_ms");
        event.binlogFile = snapshot ? "" : source.getString("file");
        event.version =
                new RowVersion(
                        versionValue(table, event.image(), event.columns),
                        snapshot ? 0 : RowVersion.fileIndex(event.binlogFile),
                        snapshot ? 0 : source.getInt64("pos"),
                        snapshot ? 0 : source.getInt32("row"));
        emit(event, table, out);
    }

    /**
     * Emits a row change; an update that changes the primary key as a delete of the old key and an
     * insert of the new one (one read without its before image kept its key).
     */
    static void emit(ChangeEvent event, SyncTable table, Collector<ChangeEvent> out) {
        if (event.op == Op.UPDATE && event.before != null) {
            String[] oldKey = table.keyOf(event.before, event.columns);
            if (!Arrays.equals(oldKey, event.key)) {
                out.collect(event.withOp(Op.DELETE, oldKey, null));
                event.op = Op.INSERT;
                event.before = null;
            }
        }
        out.collect(event);
    }

    /**
     * A DDL that touches synced tables: a change the job cannot follow stops it, in every policy;
     * one that changes the rows' columns stops it under {@code schemaChanges: fail}; otherwise it
     * goes to every shard ({@code evolve}) or is reported ({@code ignore}, and an index or a
     * comment under {@code fail}). Stopping suppresses restarts: a restart would read the same
     * statement and stop again, so the job waits for the user's decision instead of looping.
     */
    private void schemaChange(SchemaChange change, Collector<ChangeEvent> out) {
        for (SyncTable table : tables.values()) {
            SchemaChange.Outcome outcome = change.on(table);
            if (outcome == null) {
                continue;
            }
            if (rowKeys.isMerged(table) && outcome.action() != null && outcome.action().empties()) {
                // the target holds the rows of the other tables merged into it too
                outcome =
                        new SchemaChange.Outcome(
                                SchemaChange.Effect.UNFOLLOWABLE,
                                outcome.what()
                                        + ", whose target tables hold the rows of the other source"
                                        + " tables merged into them too: delete this table's rows"
                                        + " from the shards by hand, then restart",
                                null,
                                null);
            }
            SchemaChangePolicy policy = table.schemaChanges().policy();
            boolean changesColumns = outcome.effect() == SchemaChange.Effect.COLUMNS;
            boolean unfollowable =
                    outcome.effect() == SchemaChange.Effect.UNFOLLOWABLE
                            || policy == SchemaChangePolicy.EVOLVE && outcome.action() == null;
            if (unfollowable || changesColumns && policy == SchemaChangePolicy.FAIL) {
                throw new SuppressRestartsException(
                        new SchemaChangeException(table, change, outcome, unfollowable));
            }
            Ddl ddl =
                    new Ddl(
                            change.ddl,
                            outcome.what(),
                            table.schemaChanges().follows(outcome.kinds())
                                    ? outcome.action()
                                    : Ddl.Action.REPORT,
                            outcome.renamed());
            ChangeEvent event = new ChangeEvent();
            event.sourceId = sourceId;
            event.database = table.database();
            event.table = table.table();
            event.op = Op.DDL;
            event.after = ddl.image();
            event.columns = outcome.columns();
            event.binlogFile = change.binlogFile;
            event.sourceTimeMs = change.timeMs;
            event.readTimeMs = System.currentTimeMillis();
            event.version =
                    new RowVersion(0, RowVersion.fileIndex(change.binlogFile), change.position, 0);
            KeyGroupCopies.of(event, mergeKeyGroups, rowKeys).forEach(out::collect);
        }
    }

    private static Op op(String code) {
        return switch (code) {
            case "r" -> Op.READ;
            case "c" -> Op.INSERT;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            default -> throw new IllegalArgumentException("unknown Debezium op " + code);
        };
    }

    private static String[] image(Struct struct, RecordLayout layout) {
        if (struct == null) {
            return null;
        }
        Field[] fields = layout.fields;
        String[] image = new String[fields.length];
        for (int i = 0; i < image.length; i++) {
            if (fields[i] != null) {
                image[i] = ValueConverter.toText(struct.get(fields[i]), fields[i].schema());
            }
        }
        return image;
    }

    /**
     * The row schema's layout. Debezium reuses one schema instance per table version, so the lookup
     * by name runs once per schema, not once per column of every change.
     */
    private RecordLayout layoutOf(Schema schema, SyncTable table) {
        if (layouts == null || layouts.size() > MAX_CACHED_SCHEMAS) {
            layouts = new IdentityHashMap<>(); // bounded, whatever the connector does
        }
        return layouts.computeIfAbsent(
                schema,
                s -> RecordLayout.of(s, table, beforeImages.placing(table.qualifiedName())));
    }

    /**
     * The version column of an image of the given columns (null: the table's) as a number in
     * version order: integers as they are (BIGINT UNSIGNED shifted by 2^63, so values past 2^63
     * stay above the others), timestamps as epoch micros, and NULL below every value: a row whose
     * version is not set yet takes any version set later.
     */
    public static long versionValue(SyncTable table, String[] image, String[] columns) {
        if (table.versionIndex() < 0) {
            return 0;
        }
        String text = image[table.indexIn(columns, table.versionIndex())];
        if (text == null) {
            return Long.MIN_VALUE;
        }
        Column column = table.columns().get(table.versionIndex());
        long value =
                column.isUnsignedBigint()
                        ? Long.parseUnsignedLong(text) ^ Long.MIN_VALUE
                        : column.isInteger()
                                ? Long.parseLong(text)
                                : ValueConverter.epochMicros(text);
        return Math.max(value, Long.MIN_VALUE + 1); // strictly above NULL
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return ChangeEventTypeInfo.INSTANCE;
    }
}

package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardsync.config.SchemaChangeKind;
import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Ddl;
import io.shardsync.model.Op;
import io.shardsync.model.SyncTable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class ChangeEventDeserializerTest {
    private static final int KEY_GROUPS = 4;

    private static SyncTable orders(SchemaChanges schemaChanges) {
        SyncTable t = SchemaChangeTest.ORDERS;
        return new SyncTable(
                t.database(),
                t.table(),
                t.columns(),
                t.keyIndexes(),
                t.shardKeyIndex(),
                t.shardRule(),
                t.versionIndex(),
                t.uniqueKeys(),
                t.createStatement(),
                schemaChanges);
    }

    /** The DDL events a statement on app.orders becomes, which leaves its columns as they are. */
    private static List<ChangeEvent> deserialize(SchemaChanges schemaChanges, String ddl) {
        return deserialize(schemaChanges, ddl, SchemaChangeTest.definition("orders", "id"));
    }

    private static List<ChangeEvent> deserialize(
            SchemaChanges schemaChanges, String ddl, String tableChanges) {
        return deserialize(
                deserializer(List.of(orders(schemaChanges)), table -> false),
                SchemaChangeTest.record("app", ddl, tableChanges));
    }

    /** The change events a record becomes. */
    private static List<ChangeEvent> deserialize(
            ChangeEventDeserializer deserializer, SourceRecord record) {
        List<ChangeEvent> out = new ArrayList<>();
        deserializer.deserialize(
                record,
                new Collector<>() {
                    @Override
                    public void collect(ChangeEvent event) {
                        out.add(event);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    private static ChangeEventDeserializer deserializer(
            List<SyncTable> tables, Predicate<SyncTable> published) {
        return new ChangeEventDeserializer(
                "source-1", tables, KEY_GROUPS, BeforeImages.of(tables, tables, published));
    }

    private static final Schema ROW =
            SchemaBuilder.struct()
                    .field("id", Schema.INT32_SCHEMA)
                    .field("user_id", Schema.INT32_SCHEMA)
                    .field("note", Schema.OPTIONAL_STRING_SCHEMA)
                    .build();

    private static final Schema SOURCE =
            SchemaBuilder.struct()
                    .field("db", Schema.STRING_SCHEMA)
                    .field("table", Schema.STRING_SCHEMA)
                    .field("ts_ms", Schema.INT64_SCHEMA)
                    .field("file", Schema.STRING_SCHEMA)
                    .field("pos", Schema.INT64_SCHEMA)
                    .field("row", Schema.INT32_SCHEMA)
                    .build();

    private static final Schema ENVELOPE =
            SchemaBuilder.struct()
                    .field("before", ROW)
                    .field("after", ROW)
                    .field("source", SOURCE)
                    .field("op", Schema.STRING_SCHEMA)
                    .build();

    private static Struct row(int id, int user, String note) {
        return new Struct(ROW).put("id", id).put("user_id", user).put("note", note);
    }

    /** What an update of app.orders from {@code before} to {@code after} becomes. */
    private static List<ChangeEvent> update(
            Struct before, Struct after, Predicate<SyncTable> published) {
        Struct source =
                new Struct(SOURCE)
                        .put("db", "app")
                        .put("table", "orders")
                        .put("ts_ms", 1L)
                        .put("file", "binlog.000001")
                        .put("pos", 4L)
                        .put("row", 0);
        Struct value =
                new Struct(ENVELOPE)
                        .put("before", before)
                        .put("after", after)
                        .put("source", source)
                        .put("op", "u");
        return deserialize(
                deserializer(List.of(SchemaChangeTest.ORDERS), published),
                new SourceRecord(null, null, "t", null, null, ENVELOPE, value));
    }

    @Test
    void anUpdateThatKeepsItsRowsPlaceIsReadWithoutItsBeforeImage() {
        List<ChangeEvent> note = update(row(1, 5, "a"), row(1, 5, "b"), table -> false);
        assertEquals(1, note.size());
        assertNull(note.get(0).before, "same key and shard key: the row stays where it is");
        assertArrayEquals(new String[] {"1", "5", "b"}, note.get(0).after);
        ChangeEvent moved = update(row(1, 5, "a"), row(1, 6, "a"), table -> false).get(0);
        assertArrayEquals(new String[] {"1", "5", "a"}, moved.before, "a shard key change");
        List<ChangeEvent> rekeyed = update(row(1, 5, "a"), row(2, 5, "a"), table -> false);
        assertEquals(List.of(Op.DELETE, Op.INSERT), rekeyed.stream().map(e -> e.op).toList());
        assertArrayEquals(new String[] {"1"}, rekeyed.get(0).key);
        assertArrayEquals(
                new String[] {"1", "5", "a"},
                update(row(1, 5, "a"), row(1, 5, "b"), table -> true).get(0).before,
                "a published table's change messages carry both images");
    }

    @Test
    void aStatementBecomesOneDdlEventPerKeyGroupWithWhatTheShardsDo() {
        List<ChangeEvent> events =
                deserialize(
                        SchemaChanges.of(SchemaChangePolicy.EVOLVE),
                        "CREATE INDEX by_note ON orders (note)");
        assertEquals(KEY_GROUPS, events.size());
        for (ChangeEvent event : events) {
            assertEquals(Op.DDL, event.op);
            assertEquals(Ddl.Action.REPLAY, Ddl.of(event).action());
            assertEquals(List.of("id", "user_id", "note"), List.of(event.columns));
        }
    }

    @Test
    void aKindEvolveDoesNotFollowIsReported() {
        SchemaChanges allButIndexes =
                new SchemaChanges(
                        SchemaChangePolicy.EVOLVE,
                        EnumSet.complementOf(EnumSet.of(SchemaChangeKind.INDEX)));
        assertEquals(
                Ddl.Action.REPORT,
                Ddl.of(deserialize(allButIndexes, "CREATE INDEX by_note ON orders (note)").get(0))
                        .action());
        assertEquals(
                Ddl.Action.REPORT,
                Ddl.of(
                                deserialize(
                                                SchemaChanges.of(SchemaChangePolicy.IGNORE),
                                                "CREATE INDEX by_note ON orders (note)")
                                        .get(0))
                        .action());
    }

    @Test
    void aTableRenamedAwayStopsEvolveOnce() {
        assertThrows(
                SuppressRestartsException.class,
                () ->
                        deserialize(
                                SchemaChanges.of(SchemaChangePolicy.EVOLVE),
                                "RENAME TABLE orders TO orders_2026",
                                "[]"));
    }
}

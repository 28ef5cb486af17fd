package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        List<ChangeEvent> out = new ArrayList<>();
        new ChangeEventDeserializer("source-1", List.of(orders(schemaChanges)), KEY_GROUPS)
                .deserialize(
                        SchemaChangeTest.record("app", ddl, tableChanges),
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

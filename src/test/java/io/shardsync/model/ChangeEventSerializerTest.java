package io.shardsync.model;

import static io.shardsync.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ChangeEventSerializerTest {
    private final ChangeEventSerializer serializer = ChangeEventSerializer.INSTANCE;

    @Test
    void roundTripsEveryFieldOfEveryOperation() throws Exception {
        ChangeEvent update = event(Op.UPDATE, "1", "x".repeat(70_000) + "😀 ü", 7, 1234);
        update.after = new String[] {"1", null};
        update.sourceId = "eu-west";
        update.readTimeMs = 5678;
        update.columns = new String[] {"id", "renamed"};
        List<ChangeEvent> events =
                List.of(
                        event(Op.READ, "0", "snap", 1, 0),
                        event(Op.INSERT, "2", "", 3, 99),
                        update,
                        event(Op.DELETE, "3", "z", 4, 100));
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (ChangeEvent e : events) {
            serializer.serialize(e, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (ChangeEvent e : events) {
            assertEquals(fields(e), fields(serializer.deserialize(in)));
        }
        assertEquals(0, in.available());
    }

    @Test
    void copiesAreDeep() {
        ChangeEvent original = event(Op.UPDATE, "1", "a", 2, 10);
        ChangeEvent copy = serializer.copy(original);
        assertEquals(fields(original), fields(copy));
        assertNotSame(original.after, copy.after);
        assertNotSame(original.before, copy.before);
        assertNotSame(original.key, copy.key);
        original.columns = new String[] {"id", "note"};
        assertNotSame(original.columns, serializer.copy(original).columns);
        assertNotSame(original.version, copy.version);
    }

    @Test
    void itsSnapshotAndTypeInformationGiveTheSameSerializer() {
        assertSame(serializer, serializer.snapshotConfiguration().restoreSerializer());
        assertSame(
                serializer,
                ChangeEventTypeInfo.INSTANCE.createSerializer(
                        new ExecutionConfig().getSerializerConfig()));
    }

    private static List<Object> fields(ChangeEvent e) {
        return List.of(
                e.sourceId,
                e.database,
                e.table,
                e.op,
                Arrays.asList(e.key),
                String.valueOf(e.before == null ? null : Arrays.asList(e.before)),
                String.valueOf(e.after == null ? null : Arrays.asList(e.after)),
                e.version.value,
                e.version.fileIndex,
                e.version.position,
                e.version.row,
                e.binlogFile,
                e.sourceTimeMs,
                e.readTimeMs,
                String.valueOf(e.columns == null ? null : Arrays.asList(e.columns)));
    }
}

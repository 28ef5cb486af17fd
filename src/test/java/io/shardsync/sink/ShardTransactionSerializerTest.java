package io.shardsync.sink;

import static io.shardsync.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.ChangeEventFormat;
import io.shardsync.model.Op;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class ShardTransactionSerializerTest {
    @Test
    void roundTripsEveryField() throws Exception {
        ChangeEvent update = event(Op.UPDATE, "1", "x".repeat(70_000) + "😀", 7, 1234);
        update.after[1] = null;
        update.columns = new String[] {"id", "renamed"};
        ChangeEvent delete = event(Op.DELETE, "2", "y", 3, 99);
        ShardTransaction original = new ShardTransaction("id-1", List.of(update, delete));
        ShardTransactionSerializer serializer = new ShardTransactionSerializer();

        ShardTransaction copy =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(original));

        assertEquals("id-1", copy.id());
        assertSameChanges(original, copy);
    }

    /** Checkpoints of 0.2 hold version 2, without the images' column names: still read. */
    @Test
    void readsTheVersionTwoFormat() throws Exception {
        ChangeEvent insert = event(Op.INSERT, "1", "x😀", 7, 1234);
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeUTF("id-2");
        out.writeInt(1);
        ChangeEventFormat.write(insert, out);
        byte[] withColumns = out.getCopyOfBuffer();
        // version 2 is version 3 without the trailing column names (-1: none)
        byte[] version2 = Arrays.copyOf(withColumns, withColumns.length - 4);

        ShardTransaction copy = new ShardTransactionSerializer().deserialize(2, version2);

        assertSameChanges(new ShardTransaction("id-2", List.of(insert)), copy);
        assertNull(copy.changes().get(0).columns);
    }

    /** Checkpoints of 0.1 hold version 1, whose strings were Flink StringValues: still read. */
    @Test
    void readsTheVersionOneFormat() throws Exception {
        ChangeEvent update = event(Op.UPDATE, "1", "x😀", 7, 1234);
        update.before[1] = null;
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeUTF("id-1");
        out.writeInt(1);
        for (String text : List.of("source-1", "db", "t")) {
            StringValue.writeString(text, out);
        }
        out.writeByte(Op.UPDATE.ordinal());
        for (String[] array : List.of(update.key, update.before, update.after)) {
            out.writeInt(array.length);
            for (String value : array) {
                StringValue.writeString(value, out);
            }
        }
        out.writeLong(7);
        out.writeLong(1);
        out.writeLong(1234);
        out.writeInt(0);
        StringValue.writeString("binlog.000001", out);
        out.writeLong(1234);
        out.writeLong(1234);

        ShardTransaction copy =
                new ShardTransactionSerializer().deserialize(1, out.getCopyOfBuffer());

        assertSameChanges(new ShardTransaction("id-1", List.of(update)), copy);
    }

    private static void assertSameChanges(ShardTransaction original, ShardTransaction copy) {
        assertEquals(original.changes().size(), copy.changes().size());
        for (int i = 0; i < original.changes().size(); i++) {
            ChangeEvent a = original.changes().get(i);
            ChangeEvent b = copy.changes().get(i);
            assertEquals(a.toString(), b.toString());
            assertArrayEquals(a.before, b.before);
            assertArrayEquals(a.after, b.after);
            assertArrayEquals(a.columns, b.columns);
            assertEquals(a.version, b.version);
            assertEquals(a.binlogFile, b.binlogFile);
            assertEquals(a.sourceTimeMs, b.sourceTimeMs);
        }
    }
}

package io.shardsync.sink;

import static io.shardsync.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardTransactionSerializerTest {
    @Test
    void roundTripsEveryField() throws Exception {
        ChangeEvent update = event(Op.UPDATE, "1", "x".repeat(70_000) + "😀", 7, 1234);
        update.after[1] = null;
        ChangeEvent delete = event(Op.DELETE, "2", "y", 3, 99);
        ShardTransaction original = new ShardTransaction("id-1", List.of(update, delete));
        ShardTransactionSerializer serializer = new ShardTransactionSerializer();

        ShardTransaction copy =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(original));

        assertEquals("id-1", copy.id());
        assertEquals(2, copy.changes().size());
        for (int i = 0; i < 2; i++) {
            ChangeEvent a = original.changes().get(i);
            ChangeEvent b = copy.changes().get(i);
            assertEquals(a.toString(), b.toString());
            assertArrayEquals(a.before, b.before);
            assertArrayEquals(a.after, b.after);
            assertEquals(a.version, b.version);
            assertEquals(a.binlogFile, b.binlogFile);
            assertEquals(a.sourceTimeMs, b.sourceTimeMs);
        }
    }
}

package io.shardsync.sink;

import static io.shardsync.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.junit.jupiter.api.Test;

class NextTransactionTest {
    private static final ShardTransactionSerializer SERIALIZER = new ShardTransactionSerializer();

    @Test
    void keepsTheNewestChangeOfEachRowInArrivalOrder() throws Exception {
        NextTransaction next = new NextTransaction();
        next.add(event(Op.INSERT, "1", "a", 1, 10));
        ChangeEvent insert = event(Op.INSERT, "2", "b😀", 1, 11);
        insert.columns = new String[] {"id", "renamed"};
        insert.target = "db.t_01";
        next.add(insert);
        next.add(event(Op.UPDATE, "1", "a2", 2, 12));

        ShardTransaction transaction = read(next.take());

        // a row keeps the place of its first change
        assertEquals(List.of("1 UPDATE a2", "2 INSERT b😀"), lines(transaction));
        ChangeEvent read = transaction.changes().get(1);
        assertEquals(insert.toString(), read.toString());
        assertEquals(List.of("id", "renamed"), List.of(read.columns));
        assertEquals("db.t_01", read.target);
    }

    @Test
    void writesAChangeAfterASchemaChangeAfterIt() throws Exception {
        NextTransaction next = new NextTransaction();
        next.add(event(Op.INSERT, "1", "a", 1, 10));
        next.add(event(Op.INSERT, "2", "b", 1, 11));
        next.addSchemaChange(event(Op.DDL, "", "ALTER", 0, 12));
        next.add(event(Op.UPDATE, "1", "a2", 2, 13));

        assertEquals(List.of("2 INSERT b", " DDL ALTER", "1 UPDATE a2"), lines(read(next.take())));
    }

    @Test
    void startsEmptyUnderANewIdOnceTaken() throws Exception {
        NextTransaction next = new NextTransaction();
        next.addSchemaChange(event(Op.DDL, "", "ALTER", 0, 12));
        next.add(event(Op.INSERT, "1", "a", 1, 10));
        ShardTransaction first = read(next.take());
        assertTrue(next.isEmpty());

        next.add(event(Op.INSERT, "2", "b", 1, 11));
        next.add(event(Op.INSERT, "3", "c", 1, 12));
        next.add(event(Op.UPDATE, "2", "b2", 2, 13));
        ShardTransaction second = read(next.take());

        assertNotEquals(first.id(), second.id());
        // no schema change in this one: a row keeps its first place
        assertEquals(List.of("2 UPDATE b2", "3 INSERT c"), lines(second));
    }

    /** Read back as the sink reads pending transactions from its checkpoint state. */
    private static ShardTransaction read(byte[] versioned) throws Exception {
        return SimpleVersionedSerialization.readVersionAndDeSerialize(SERIALIZER, versioned);
    }

    private static List<String> lines(ShardTransaction transaction) {
        return transaction.changes().stream()
                .map(c -> c.key[0] + " " + c.op + " " + c.after[1])
                .toList();
    }
}

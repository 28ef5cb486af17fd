package io.shardsync.pipeline;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import io.shardsync.model.SyncTable;
import io.shardsync.sink.records.ChangeEnvelopes;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.ShardedTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A scripted history of the orders table as change events in binlog order: inserts, updates (some
 * moving the row to the other shard), deletes and primary-key changes, each change a newer version.
 * Its change-topic messages, and the rows it ends with.
 */
final class OrdersHistory {
    private final SyncTable table;
    private final Random random = new Random(18);
    private final List<String> messages = new ArrayList<>();
    private final Map<Long, String[]> rows = new TreeMap<>();
    private long position = 4;
    private long nextId = 1;

    OrdersHistory(SyncTable table) {
        this.table = table;
    }

    void step(int round) {
        for (int i = 0; i < 100; i++) {
            long id = nextId++;
            write(Op.INSERT, null, image(id, id % 97, "order " + id + " 😀", 1));
        }
        for (long id : new ArrayList<>(rows.keySet())) {
            String[] row = rows.get(id);
            long version = Long.parseLong(row[4]) + 1;
            switch (random.nextInt(6)) {
                case 0, 1 ->
                        write(
                                Op.UPDATE,
                                row,
                                image(id, Long.parseLong(row[1]), "r" + round, version));
                case 2 ->
                        write(
                                Op.UPDATE,
                                row,
                                image(id, Long.parseLong(row[1]) + 1, row[2], version));
                case 3 -> {
                    if (random.nextInt(4) == 0) {
                        write(Op.DELETE, row, null);
                    }
                }
                case 4 -> {
                    if (random.nextInt(4) == 0) { // a key change: a delete and an insert
                        write(Op.DELETE, row, null);
                        long newId = nextId++;
                        String[] moved = image(newId, Long.parseLong(row[1]), row[2], version);
                        write(Op.INSERT, null, moved);
                    }
                }
                default -> {}
            }
        }
    }

    private String[] image(long id, long userId, String note, long version) {
        return new String[] {
            String.valueOf(id),
            String.valueOf(userId),
            note,
            String.format("%d.%02d", id % 1000, id % 100),
            String.valueOf(version),
            String.format("2024-01-01 00:00:%02d.%06d", version % 60, id)
        };
    }

    private void write(Op op, String[] before, String[] after) {
        ChangeEvent event = new ChangeEvent();
        event.sourceId = "upstream";
        event.database = table.database();
        event.table = table.table();
        event.op = op;
        event.before = before;
        event.after = after;
        event.key = table.keyOf(event.image(), null);
        event.binlogFile = "binlog.000001";
        event.sourceTimeMs = System.currentTimeMillis();
        event.readTimeMs = event.sourceTimeMs;
        event.version = new RowVersion(Long.parseLong(event.image()[4]), 1, position += 100, 0);
        messages.add(ChangeEnvelopes.value(event, table));
        long id = Long.parseLong(event.key[0]);
        if (after == null) {
            rows.remove(id);
        } else {
            rows.put(id, after);
        }
    }

    List<String> messages() {
        return messages;
    }

    /** How many rows the history ends with. */
    int rowCount() {
        return rows.size();
    }

    /** The rows the history ends with, at the source, for {@link ShardedTable} to compare. */
    void writeExpectedRows(String db) throws Exception {
        List<String> values = new ArrayList<>();
        for (String[] row : rows.values()) {
            values.add(
                    "(" + row[0] + ", " + row[1] + ", '" + row[2] + "', " + row[3] + ", " + row[4]
                            + ", '" + row[5] + "')");
        }
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                "INSERT INTO " + db + ".orders VALUES " + String.join(", ", values));
    }
}

package io.shardsync.merge;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.RowVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each table was last emptied at its source ({@code TRUNCATE}, {@code DROP TABLE}): the
 * binlog position of the statement. What the merge knows of a row from before it is forgotten, so
 * the table's new rows start afresh whatever their versions; a change from before it that arrives
 * after it (held by the ordered merge) has nothing left to change.
 */
final class TableResets {
    private record Reset(String sourceId, long fileIndex, long position) {}

    private final Map<String, Reset> byTable = new HashMap<>();

    void record(ChangeEvent ddl) {
        put(
                ddl.qualifiedTable(),
                new Reset(ddl.sourceId, ddl.version.fileIndex, ddl.version.position));
    }

    private void put(String table, Reset reset) {
        byTable.merge(table, reset, (a, b) -> before(a, b) ? b : a);
    }

    /**
     * Whether a version of the table's source was written before the table was last emptied (a
     * snapshot read, at no position, always is).
     */
    boolean isBefore(String table, String sourceId, RowVersion version) {
        Reset reset = byTable.get(table);
        return reset != null
                && reset.sourceId().equals(sourceId)
                && before(new Reset(sourceId, version.fileIndex, version.position), reset);
    }

    private static boolean before(Reset a, Reset b) {
        return a.fileIndex() < b.fileIndex()
                || a.fileIndex() == b.fileIndex() && a.position() < b.position();
    }

    /** The resets as operator state: one line each. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        byTable.forEach(
                (table, r) ->
                        lines.add(
                                String.join(
                                        "\u0000",
                                        table,
                                        r.sourceId(),
                                        String.valueOf(r.fileIndex()),
                                        String.valueOf(r.position()))));
        return lines;
    }

    /** Restores the resets of every subtask (each knows them all; the latest per table wins). */
    void restore(Iterable<String> lines) {
        for (String line : lines) {
            String[] parts = line.split("\u0000", -1);
            put(parts[0], new Reset(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3])));
        }
    }
}

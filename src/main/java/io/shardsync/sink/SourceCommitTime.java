package io.shardsync.sink;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.source.ValueConverter;

/**
 * The best known source commit time of a change. Binlog event times have 1 s resolution, so a
 * fractional-second temporal column (the version column first) is used when its value lies within a
 * second of the binlog time, i.e. when it was written by the same change (a creation time or a
 * column the change did not touch falls outside and is ignored).
 */
final class SourceCommitTime {
    private SourceCommitTime() {}

    /** Index of the table's fractional-second clock column, or -1. */
    static int clockColumn(SyncTable table) {
        if (table.versionIndex() >= 0
                && isFractionalTime(table.columns().get(table.versionIndex()))) {
            return table.versionIndex();
        }
        for (int i = 0; i < table.columns().size(); i++) {
            if (isFractionalTime(table.columns().get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The change's commit time, given its table's clock column ({@link #clockColumn}). */
    static long of(ChangeEvent change, SyncTable table, int clockColumn) {
        int at = table.indexIn(change.columns, clockColumn);
        if (at < 0 || change.after == null || change.after[at] == null) {
            return change.sourceTimeMs;
        }
        long precise = ValueConverter.epochMicros(change.after[at]) / 1000;
        return Math.abs(precise - change.sourceTimeMs) < 1000 ? precise : change.sourceTimeMs;
    }

    private static boolean isFractionalTime(Column column) {
        return column.isTemporal() && column.columnType().contains("(");
    }
}

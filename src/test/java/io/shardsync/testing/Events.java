package io.shardsync.testing;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;

/** Builds change events of a two-column table {@code db.t(id, value)} for tests. */
public final class Events {
    private Events() {}

    public static ChangeEvent event(Op op, String id, String value, long version, long position) {
        ChangeEvent e = new ChangeEvent();
        e.sourceId = "source-1";
        e.database = "db";
        e.table = "t";
        e.op = op;
        e.key = new String[] {id};
        String[] row = {id, value};
        e.before = op == Op.INSERT || op == Op.READ ? null : row;
        e.after = op == Op.DELETE ? null : row;
        e.version = new RowVersion(version, position == 0 ? 0 : 1, position, 0);
        e.binlogFile = position == 0 ? "" : "binlog.000001";
        e.sourceTimeMs = position;
        e.readTimeMs = position;
        return e;
    }
}

package io.shardsync.sink;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Ddl;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import java.util.Map;

/**
 * A schema change a shard has applied to a table ({@code done}) or is applying, as its {@code
 * shardsync.schema_changes} records it: which source's binlog it came from, where, and what it did.
 */
record AppliedDdl(
        String sourceId,
        long fileIndex,
        long position,
        Ddl.Action action,
        Map<String, String> renamed,
        boolean done) {

    /** Whether the change was read from the same source's binlog before this statement. */
    boolean isAfter(ChangeEvent change) {
        RowVersion v = change.version;
        return sourceId.equals(change.sourceId)
                && change.op != Op.READ
                && (v.fileIndex < fileIndex || v.fileIndex == fileIndex && v.position < position);
    }
}

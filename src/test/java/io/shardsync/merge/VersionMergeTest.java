package io.shardsync.merge;

import static io.shardsync.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.MergeMode;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.Ddl;
import io.shardsync.model.KeyGroupCopies;
import io.shardsync.model.Op;
import io.shardsync.model.RowKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

class VersionMergeTest extends VersionMergeHarness {
    @Test
    void appliesNewerVersions() throws Exception {
        send(event(Op.INSERT, "1", "a", 1, 100));
        send(event(Op.UPDATE, "1", "b", 2, 200));
        assertEquals(List.of("INSERT:1=a", "UPDATE:1=b"), applied());
        assertEquals(List.of(), conflicts());
    }

    @Test
    void dropsDuplicatesWithoutReporting() throws Exception {
        send(event(Op.INSERT, "1", "a", 1, 100));
        send(event(Op.INSERT, "1", "a", 1, 100));
        assertEquals(List.of("INSERT:1=a"), applied());
        assertEquals(List.of(), conflicts());
    }

    @Test
    void reportsStaleVersions() throws Exception {
        send(event(Op.UPDATE, "1", "new", 5, 500));
        send(event(Op.UPDATE, "1", "old", 4, 400));
        assertEquals(List.of("UPDATE:1=new"), applied());
        assertEquals(List.of(ConflictKind.STALE_VERSION), conflicts());
    }

    @Test
    void reportsSameVersionWithDifferentData() throws Exception {
        send(event(Op.UPDATE, "1", "x", 5, 500));
        send(event(Op.UPDATE, "1", "y", 5, 500));
        assertEquals(List.of("UPDATE:1=x"), applied());
        assertEquals(List.of(ConflictKind.SAME_VERSION_DIFFERENT_DATA), conflicts());
    }

    /**
     * A table without a version column after its source's binlog was reset or another server took
     * over: positions start low again, and a re-snapshot reads rows at position zero.
     */
    @Test
    void withoutAVersionColumnANewBinlogIsNewerThanTheOld() throws Exception {
        harness.close();
        harness = newHarness(MergeMode.LATEST_WINS, new HashMap<>(), Set.of("db.t"));
        harness.open();
        send(event(Op.INSERT, "1", "a", 0, 90_000));
        send(event(Op.UPDATE, "1", "b", 0, 95_000));
        send(event(Op.UPDATE, "1", "b", 0, 95_000)); // replayed after a restore
        send(event(Op.UPDATE, "1", "c", 0, 400)); // the new binlog
        send(event(Op.READ, "2", "x", 0, 0));
        send(event(Op.READ, "2", "y", 0, 0)); // read again from the new server
        send(event(Op.DELETE, "2", "y", 0, 300));
        assertEquals(
                List.of(
                        "INSERT:1=a",
                        "UPDATE:1=b",
                        "UPDATE:1=c",
                        "READ:2=x",
                        "READ:2=y",
                        "DELETE:2=null"),
                applied());
        assertEquals(List.of(), conflicts());
    }

    /** A key handed to another row ({@code id = id + N}) carries that row's lower version. */
    @Test
    void aRowWrittenAfterItsKeyWasDeletedIsNewWhateverItsVersion() throws Exception {
        send(event(Op.INSERT, "1", "a", 4, 100));
        send(event(Op.DELETE, "1", "a", 5, 200));
        send(event(Op.INSERT, "1", "other row", 3, 300));
        send(event(Op.INSERT, "1", "replayed", 2, 150)); // before the delete in the binlog: stale
        // a key change, split by Debezium into a delete and an insert at one position
        send(event(Op.DELETE, "1", "other row", 3, 400));
        send(event(Op.INSERT, "1", "changed key", 3, 400));
        assertEquals(
                List.of(
                        "INSERT:1=a",
                        "DELETE:1=null",
                        "INSERT:1=other row",
                        "DELETE:1=null",
                        "INSERT:1=changed key"),
                applied());
        assertEquals(List.of(ConflictKind.STALE_VERSION), conflicts());
    }

    @Test
    void withoutBinlogPositionsTheVersionAloneOrdersAWriteAgainstADelete() throws Exception {
        // a kafka source's Canal messages: no binlog position, in any order
        send(event(Op.INSERT, "1", "a", 1, 0));
        send(event(Op.DELETE, "1", "a", 2, 0));
        send(event(Op.INSERT, "1", "a", 1, 0)); // the insert again, after the delete: stale
        send(event(Op.UPDATE, "1", "b", 2, 0)); // at the delete's version: not newer either
        send(event(Op.INSERT, "1", "c", 3, 0)); // re-inserted at a newer version
        send(event(Op.DELETE, "1", "c", 3, 0)); // deletes version 3: newer than it
        assertEquals(
                List.of("INSERT:1=a", "DELETE:1=null", "INSERT:1=c", "DELETE:1=null"), applied());
        assertEquals(
                List.of(ConflictKind.STALE_VERSION, ConflictKind.SAME_VERSION_DIFFERENT_DATA),
                conflicts());
    }

    @Test
    void breaksVersionTiesByBinlogPosition() throws Exception {
        send(event(Op.UPDATE, "1", "x", 5, 500));
        send(event(Op.UPDATE, "1", "y", 5, 600));
        assertEquals(List.of("UPDATE:1=x", "UPDATE:1=y"), applied());
    }

    @Test
    void snapshotReadNeverOverwritesBinlogChange() throws Exception {
        send(event(Op.UPDATE, "1", "binlog", 0, 700));
        send(event(Op.READ, "1", "snapshot", 0, 0));
        assertEquals(List.of("UPDATE:1=binlog"), applied());
        assertEquals(List.of(ConflictKind.STALE_VERSION), conflicts());
    }

    @Test
    void tombstoneStopsResurrectionUntilItExpires() throws Exception {
        send(event(Op.INSERT, "1", "a", 1, 100));
        send(event(Op.DELETE, "1", "a", 2, 200));
        send(event(Op.INSERT, "1", "a", 1, 100)); // a replayed insert must not bring the row back
        assertEquals(List.of("INSERT:1=a", "DELETE:1=null"), applied());
        assertEquals(List.of(ConflictKind.STALE_VERSION), conflicts());
        assertEquals(1, harness.numKeyedStateEntries());
        assertEquals(1, harness.numEventTimeTimers());

        harness.processWatermark(200 + RETENTION.toMillis());
        assertEquals(0, harness.numKeyedStateEntries());
        assertEquals(0, harness.numEventTimeTimers());
    }

    @Test
    void reinsertAfterDeleteCancelsTheTombstoneTimer() throws Exception {
        send(event(Op.INSERT, "1", "a", 1, 100));
        send(event(Op.DELETE, "1", "a", 1, 200));
        send(event(Op.INSERT, "1", "b", 2, 300));
        assertEquals(0, harness.numEventTimeTimers());
        harness.processWatermark(Long.MAX_VALUE - 1);
        assertEquals(1, harness.numKeyedStateEntries()); // live rows keep their version
    }

    @Test
    void stateSurvivesSnapshotAndRestore() throws Exception {
        send(event(Op.INSERT, "1", "a", 3, 100));
        send(event(Op.DELETE, "2", "b", 3, 110));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(event(Op.UPDATE, "1", "old", 2, 50));
        send(event(Op.INSERT, "2", "b", 1, 10));
        send(event(Op.UPDATE, "1", "new", 4, 200));
        assertEquals(List.of("UPDATE:1=new"), applied());
        assertEquals(List.of(ConflictKind.STALE_VERSION, ConflictKind.STALE_VERSION), conflicts());
        assertEquals(1, harness.numEventTimeTimers());
    }

    /** A schema change as the source emits it: one copy per key group (the harness has one). */
    private void sendSchemaChange(Ddl.Action action, long position) throws Exception {
        ChangeEvent ddl = event(Op.DDL, "", "", 0, position);
        ddl.after = new Ddl("TRUNCATE TABLE t", "empties the table", action, Map.of()).image();
        for (ChangeEvent copy : KeyGroupCopies.of(ddl, 1, RowKeys.of(List.of()))) {
            send(copy);
        }
    }

    @Test
    void aTruncatedTablesRowsStartAfreshAndChangesFromBeforeItAreDropped() throws Exception {
        send(event(Op.INSERT, "1", "old", 9, 100));
        sendSchemaChange(Ddl.Action.TRUNCATE, 200);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(event(Op.INSERT, "1", "new", 1, 300)); // a lower version: the old row is gone
        send(event(Op.UPDATE, "2", "held back", 5, 150)); // from before the truncate
        assertEquals(List.of("INSERT:1=new"), applied());
        assertEquals(List.of(), conflicts());
    }

    @Test
    void aFollowedSchemaChangeGoesOnAndAReportedOneIsOneConflict() throws Exception {
        sendSchemaChange(Ddl.Action.REPLAY, 100);
        sendSchemaChange(Ddl.Action.REPORT, 200);
        assertEquals(
                List.of(Op.DDL), harness.extractOutputValues().stream().map(e -> e.op).toList());
        assertEquals(List.of(ConflictKind.SCHEMA_CHANGE_IGNORED), conflicts());
    }
}

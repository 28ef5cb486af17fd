package io.shardsync.merge;

import static io.shardsync.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.MergeMode;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.Ddl;
import io.shardsync.model.KeyGroupCopies;
import io.shardsync.model.Op;
import io.shardsync.model.RowKeys;
import io.shardsync.model.SideOutputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VersionMergeTest {
    private static final Duration RETENTION = Duration.ofSeconds(10);
    private KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent>
            newHarness() throws Exception {
        return newHarness(MergeMode.LATEST_WINS);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent>
            newHarness(MergeMode mode) throws Exception {
        return newHarness(mode, new HashMap<>());
    }

    /** A harness whose operator registers its metrics, by identifier, in {@code metrics}. */
    private static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent>
            newHarness(MergeMode mode, Map<String, Metric> metrics) throws Exception {
        return newHarness(mode, metrics, Set.of());
    }

    /** {@code arrivalOrdered}: the tables without a version column. */
    private static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent>
            newHarness(MergeMode mode, Map<String, Metric> metrics, Set<String> arrivalOrdered)
                    throws Exception {
        TestingMetricRegistry registry =
                TestingMetricRegistry.builder()
                        .setRegisterConsumer(
                                (metric, name, group) ->
                                        metrics.put(group.getMetricIdentifier(name), metric))
                        .build();
        TaskMetricGroup task =
                TaskManagerMetricGroup.createTaskManagerMetricGroup(
                                registry, "localhost", ResourceID.generate())
                        .addJob(new JobID(), "job")
                        .addTask(ExecutionAttemptID.randomId(), "task");
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new VersionMerge(RETENTION, mode, arrivalOrdered)),
                ChangeEvent::rowKey,
                Types.STRING,
                new MockEnvironmentBuilder().setMetricGroup(task).build());
    }

    private void send(ChangeEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.sourceTimeMs));
    }

    private List<String> applied() {
        List<String> out = new ArrayList<>();
        for (ChangeEvent e : harness.extractOutputValues()) {
            out.add(e.op + ":" + e.key[0] + "=" + (e.after == null ? null : e.after[1]));
        }
        return out;
    }

    private List<ConflictKind> conflicts() {
        List<ConflictKind> kinds = new ArrayList<>();
        if (harness.getSideOutput(SideOutputs.CONFLICTS) != null) {
            for (StreamRecord<Conflict> r : harness.getSideOutput(SideOutputs.CONFLICTS)) {
                kinds.add(r.getValue().kind);
            }
        }
        return kinds;
    }

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
    void flagsLateChangesButStillMergesThem() throws Exception {
        send(event(Op.INSERT, "1", "a", 1, 100));
        harness.processWatermark(1_000);
        send(event(Op.UPDATE, "1", "b", 2, 200)); // behind the watermark, newer version
        assertEquals(List.of("INSERT:1=a", "UPDATE:1=b"), applied());
        assertEquals(List.of(ConflictKind.LATE), conflicts());
    }

    @Test
    void anyArrivalOrderEndsAtTheNewestVersion() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<ChangeEvent> versions = new ArrayList<>();
            String id = "k" + round;
            versions.add(event(Op.INSERT, id, "v1", 1, 100));
            for (int v = 2; v <= 6; v++) {
                versions.add(event(Op.UPDATE, id, "v" + v, v, v * 100L));
            }
            Collections.shuffle(versions, random);
            versions.forEach(this::sendUnchecked);
        }
        List<ChangeEvent> out = harness.extractOutputValues();
        Map<String, String> last = new HashMap<>();
        for (ChangeEvent e : out) {
            last.put(e.key[0], e.after[1]);
        }
        assertEquals(200, last.size());
        last.values().forEach(v -> assertEquals("v6", v));
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

    private void sendUnchecked(ChangeEvent e) {
        try {
            send(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Six versions of each of 200 rows, shuffled; timestamps within the tolerance. */
    private List<ChangeEvent> shuffledVersions(Random random) {
        List<ChangeEvent> all = new ArrayList<>();
        for (int round = 0; round < 200; round++) {
            String id = "k" + round;
            all.add(event(Op.INSERT, id, "v1", 1, 100));
            for (int v = 2; v <= 6; v++) {
                all.add(event(Op.UPDATE, id, "v" + v, v, v * 100L));
            }
        }
        Collections.shuffle(all, random);
        return all;
    }

    @Test
    void orderedEmitsEveryVersionExactlyOnceInVersionOrder() throws Exception {
        harness.close();
        harness = newHarness(MergeMode.ORDERED);
        harness.open();
        for (int seed = 0; seed < 5; seed++) {
            for (ChangeEvent e : shuffledVersions(new Random(seed))) {
                send(e);
            }
            send(shuffledVersions(new Random(seed)).get(0)); // a redelivered change
            assertEquals(0, harness.extractOutputValues().size(), "held until the watermark");
            harness.processWatermark(10_000L * (seed + 1));
            Map<String, List<String>> versions = new HashMap<>();
            for (ChangeEvent e : harness.extractOutputValues()) {
                versions.computeIfAbsent(e.key[0], k -> new ArrayList<>()).add(e.after[1]);
            }
            // the first round applies every version; later rounds are redeliveries (duplicates)
            assertEquals(seed == 0 ? 200 : 0, versions.size());
            versions.values()
                    .forEach(v -> assertEquals(List.of("v1", "v2", "v3", "v4", "v5", "v6"), v));
            assertEquals(0, harness.numEventTimeTimers());
            assertEquals(200, harness.numKeyedStateEntries(), "only row versions, no held changes");
            harness.getOutput().clear();
        }
    }

    @Test
    void beyondTheToleranceEveryModeEndsAtTheNewestVersionAndCountsEachLateChange()
            throws Exception {
        for (MergeMode mode : MergeMode.values()) {
            Map<String, Metric> metrics = new HashMap<>();
            harness.close();
            harness = newHarness(mode, metrics);
            harness.open();
            Random random = new Random(7);
            long watermark = Long.MIN_VALUE;
            int late = 0;
            List<ChangeEvent> all = shuffledVersions(random);
            for (int i = 0; i < all.size(); i++) {
                ChangeEvent e = all.get(i);
                late += e.sourceTimeMs < watermark ? 1 : 0;
                send(e);
                if (i % 97 == 0) { // watermarks overtake some of the shuffled versions
                    watermark = 100L * (1 + random.nextInt(6));
                    harness.processWatermark(watermark);
                }
            }
            harness.processWatermark(Long.MAX_VALUE);
            Map<String, String> last = new HashMap<>();
            for (ChangeEvent e : harness.extractOutputValues()) {
                last.put(e.key[0], e.after[1]);
            }
            assertEquals(200, last.size(), mode.toString());
            last.values().forEach(v -> assertEquals("v6", v, mode.toString()));
            assertEquals(late, count(metrics, "shardsync.lateChanges"), mode.toString());
            assertEquals(
                    count(metrics, "shardsync.table.db.t.lateChanges"),
                    count(metrics, "shardsync.lateChanges"));
            assertTrue(late > 100, "only " + late + " late changes");
        }
    }

    private static long count(Map<String, Metric> metrics, String suffix) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().endsWith(suffix))
                .mapToLong(e -> ((Counter) e.getValue()).getCount())
                .sum();
    }

    @Test
    void orderedMergesLateChangesByVersionAndFlagsThem() throws Exception {
        harness.close();
        harness = newHarness(MergeMode.ORDERED);
        harness.open();
        send(event(Op.INSERT, "1", "v1", 1, 100));
        send(event(Op.UPDATE, "1", "v3", 3, 300));
        send(event(Op.UPDATE, "1", "v2", 2, 200));
        harness.processWatermark(1_000);
        send(event(Op.UPDATE, "1", "v5", 5, 500)); // behind the watermark, newest: applied, LATE
        send(event(Op.UPDATE, "1", "v4", 4, 400)); // behind the watermark, older: stale
        assertEquals(
                List.of("INSERT:1=v1", "UPDATE:1=v2", "UPDATE:1=v3", "UPDATE:1=v5"), applied());
        assertEquals(List.of(ConflictKind.LATE, ConflictKind.STALE_VERSION), conflicts());
    }
}

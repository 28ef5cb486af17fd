package io.shardsync.merge;

import static io.shardsync.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.MergeMode;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.Op;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.metrics.Metric;
import org.junit.jupiter.api.Test;

/** The merge against arrival order and watermarks: ordered mode, late changes. */
class VersionMergeOrderTest extends VersionMergeHarness {
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

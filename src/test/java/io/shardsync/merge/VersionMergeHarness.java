package io.shardsync.merge;

import static io.shardsync.testing.Events.event;

import io.shardsync.config.MergeMode;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.Op;
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

/**
 * A test harness around one {@link VersionMerge} operator (latest-wins unless a test opens another)
 * and what it applied and reported.
 */
abstract class VersionMergeHarness {
    static final Duration RETENTION = Duration.ofSeconds(10);
    KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent> newHarness()
            throws Exception {
        return newHarness(MergeMode.LATEST_WINS);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent> newHarness(
            MergeMode mode) throws Exception {
        return newHarness(mode, new HashMap<>());
    }

    /** A harness whose operator registers its metrics, by identifier, in {@code metrics}. */
    static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent> newHarness(
            MergeMode mode, Map<String, Metric> metrics) throws Exception {
        return newHarness(mode, metrics, Set.of());
    }

    /** {@code arrivalOrdered}: the tables without a version column. */
    static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent> newHarness(
            MergeMode mode, Map<String, Metric> metrics, Set<String> arrivalOrdered)
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

    void send(ChangeEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.sourceTimeMs));
    }

    List<String> applied() {
        List<String> out = new ArrayList<>();
        for (ChangeEvent e : harness.extractOutputValues()) {
            out.add(e.op + ":" + e.key[0] + "=" + (e.after == null ? null : e.after[1]));
        }
        return out;
    }

    List<ConflictKind> conflicts() {
        List<ConflictKind> kinds = new ArrayList<>();
        if (harness.getSideOutput(SideOutputs.CONFLICTS) != null) {
            for (StreamRecord<Conflict> r : harness.getSideOutput(SideOutputs.CONFLICTS)) {
                kinds.add(r.getValue().kind);
            }
        }
        return kinds;
    }

    void sendUnchecked(ChangeEvent e) {
        try {
            send(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Six versions of each of 200 rows, shuffled; timestamps within the tolerance. */
    List<ChangeEvent> shuffledVersions(Random random) {
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

    static long count(Map<String, Metric> metrics, String suffix) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().endsWith(suffix))
                .mapToLong(e -> ((Counter) e.getValue()).getCount())
                .sum();
    }
}

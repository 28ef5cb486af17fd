package io.shardsync.merge;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.MetricNames;
import io.shardsync.model.Op;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

/**
 * The merge's metrics: what happened to each change, for the whole job and per table ({@code
 * shardsync.table.<db.table>}), and how far the job is behind the binlog and the watermark.
 */
final class MergeMetrics {
    /** One set of outcome counters. */
    private record Outcomes(
            Counter applied,
            Counter snapshotRows,
            Counter duplicates,
            Counter stale,
            Counter sameVersion,
            Counter late,
            Counter schemaChanges,
            Counter schemaChangesIgnored) {
        static Outcomes in(MetricGroup group) {
            return new Outcomes(
                    group.counter(MetricNames.APPLIED),
                    group.counter(MetricNames.SNAPSHOT_ROWS),
                    group.counter(MetricNames.DUPLICATES),
                    group.counter(MetricNames.STALE),
                    group.counter(MetricNames.SAME_VERSION_CONFLICTS),
                    group.counter(MetricNames.LATE),
                    group.counter(MetricNames.SCHEMA_CHANGES),
                    group.counter(MetricNames.SCHEMA_CHANGES_IGNORED));
        }
    }

    private final MetricGroup group;
    private final Outcomes total;
    private final Map<String, Outcomes> tables = new HashMap<>();
    private volatile long sourceLagMs;
    private volatile long watermark = Long.MIN_VALUE;

    MergeMetrics(MetricGroup operatorGroup) {
        this.group = operatorGroup.addGroup(MetricNames.GROUP);
        this.total = Outcomes.in(group);
        group.meter(MetricNames.APPLIED_RATE, new MeterView(total.applied()));
        group.gauge(MetricNames.SOURCE_LAG, () -> sourceLagMs);
        group.gauge(
                MetricNames.WATERMARK_LAG,
                () -> watermark == Long.MIN_VALUE ? 0L : System.currentTimeMillis() - watermark);
    }

    /** Notes a change as it arrives, with the operator's current watermark. */
    void arrived(ChangeEvent event, long currentWatermark) {
        watermark = currentWatermark;
        if (event.op == Op.READ) {
            // counted on arrival, not when applied: a snapshot's progress is rows read, won or not
            total.snapshotRows().inc();
            of(event).snapshotRows().inc();
        }
        if (event.sourceTimeMs != 0) {
            sourceLagMs = event.readTimeMs - event.sourceTimeMs;
        }
    }

    void applied(ChangeEvent event) {
        total.applied().inc();
        of(event).applied().inc();
    }

    void duplicate(ChangeEvent event) {
        total.duplicates().inc();
        of(event).duplicates().inc();
    }

    void late(ChangeEvent event) {
        total.late().inc();
        of(event).late().inc();
    }

    void schemaChangeFollowed(ChangeEvent event) {
        total.schemaChanges().inc();
        of(event).schemaChanges().inc();
    }

    void schemaChangeIgnored(ChangeEvent event) {
        total.schemaChangesIgnored().inc();
        of(event).schemaChangesIgnored().inc();
    }

    void conflict(ConflictKind kind, ChangeEvent event) {
        Outcomes table = of(event);
        if (kind == ConflictKind.STALE_VERSION) {
            total.stale().inc();
            table.stale().inc();
        } else {
            total.sameVersion().inc();
            table.sameVersion().inc();
        }
    }

    private Outcomes of(ChangeEvent event) {
        return tables.computeIfAbsent(
                event.qualifiedTable(),
                table -> Outcomes.in(group.addGroup(MetricNames.TABLE, table)));
    }
}

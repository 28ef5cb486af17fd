package io.shardsync.sink;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.LatencySample;
import io.shardsync.model.MetricNames;
import io.shardsync.model.Op;
import io.shardsync.model.SyncTable;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * What a shard sink reports about the changes it wrote: rows written and deleted, each rejected
 * change as a {@code TARGET_REJECTED} conflict, an outage as {@code SHARD_UNREACHABLE}, end-to-end
 * latency per table as histograms, and every n-th change as a latency sample.
 */
final class CommitReporter {
    private static final int HISTOGRAM_WINDOW = 10_000;

    private final String shard;
    private final int sampleEvery;
    private final Consumer<Conflict> conflicts;
    private final Consumer<LatencySample> samples;
    private final Counter rowsWritten;
    private final Counter rowsDeleted;
    private final Counter rejected;
    private final Counter unreachable;
    private final Map<String, TableMetrics> tables = new HashMap<>();

    /** Changes with a commit time reported so far: every sampleEvery-th one is sampled. */
    private long timedChanges;

    /** Per table: where its precise commit time is, and its latency histograms. */
    private record TableMetrics(
            SyncTable table, int clockColumn, Histogram endToEnd, Histogram jobToShard) {}

    CommitReporter(
            String shard,
            List<SyncTable> syncTables,
            int sampleEvery,
            MetricGroup metrics,
            Consumer<Conflict> conflicts,
            Consumer<LatencySample> samples) {
        this.shard = shard;
        this.sampleEvery = sampleEvery;
        this.conflicts = conflicts;
        this.samples = samples;
        MetricGroup group = metrics.addGroup(MetricNames.GROUP);
        this.rowsWritten = group.counter(MetricNames.ROWS_WRITTEN);
        group.meter(MetricNames.ROWS_WRITTEN_RATE, new MeterView(rowsWritten));
        this.rowsDeleted = group.counter(MetricNames.ROWS_DELETED);
        this.rejected = group.counter(MetricNames.REJECTED);
        this.unreachable = group.counter(MetricNames.UNREACHABLE);
        for (SyncTable table : syncTables) {
            if (tables.containsKey(table.qualifiedName())) {
                continue; // routed by both placements of a reshard: one table to report on
            }
            MetricGroup perTable = group.addGroup(MetricNames.TABLE, table.qualifiedName());
            tables.put(
                    table.qualifiedName(),
                    new TableMetrics(
                            table,
                            SourceCommitTime.clockColumn(table),
                            perTable.histogram(
                                    MetricNames.END_TO_END_LATENCY,
                                    new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW)),
                            perTable.histogram(
                                    MetricNames.JOB_TO_SHARD_LATENCY,
                                    new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW))));
        }
    }

    /** Reports changes the shard now holds (committed at {@code committedAtMs}). */
    void committed(List<ChangeEvent> changes, List<Rejection> rejections, long committedAtMs) {
        for (Rejection rejection : rejections) {
            rejected.inc();
            conflicts.accept(
                    Conflict.atShard(
                            ConflictKind.TARGET_REJECTED,
                            rejection.change(),
                            shard,
                            rejection.error(),
                            committedAtMs));
        }
        for (ChangeEvent change : changes) {
            if (change.op == Op.DDL) {
                continue;
            }
            (change.op.writesRow() ? rowsWritten : rowsDeleted).inc();
            if (change.sourceTimeMs == 0) {
                continue; // snapshot reads have no commit time
            }
            TableMetrics table = tables.get(change.qualifiedTable());
            long sourceMs = SourceCommitTime.of(change, table.table(), table.clockColumn());
            table.endToEnd().update(committedAtMs - sourceMs);
            table.jobToShard().update(committedAtMs - change.readTimeMs);
            // counted across flushes: a flush's first change is not a sample of its own
            if (timedChanges++ % sampleEvery == 0) {
                samples.accept(new LatencySample(change, shard, sourceMs, committedAtMs));
            }
        }
    }

    /** Reports a shard that stayed unreachable past the alert threshold. */
    void unreachable(SQLException lastError) {
        unreachable.inc();
        conflicts.accept(
                Conflict.atShard(
                        ConflictKind.SHARD_UNREACHABLE,
                        null,
                        shard,
                        lastError.getMessage(),
                        System.currentTimeMillis()));
    }
}

package io.shardsync.source;

import io.shardsync.model.ChangeEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.cdc.connectors.mysql.source.events.FinishedSnapshotSplitsReportEvent;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.flink.util.function.FunctionWithException;

/**
 * Flink CDC's reader of one server, failed when it holds a snapshot chunk it has not finished yet
 * and has had nothing to give for the stall timeout. Flink CDC 3.5 can hang for good in a chunk's
 * binlog backfill (FLINK-39315, FLINK-39621, fixed after 3.5): the chunk's rows never come, the
 * binlog phase never starts, and the job would sit silently behind its source. The failed reader
 * restarts from the last checkpoint and reads the chunk anew with a new binlog client.
 *
 * <p>The clock runs only while the reader is asked for records and has none: a reader held back by
 * a slow sink is not asked, so backpressure never counts as a stall.
 */
final class SnapshotStallGuard extends ForwardingReader {
    private static final long NOT_IDLE = -1;

    private final long timeoutMs;

    /** How often a reader holding a chunk is asked again though Flink CDC says it has nothing. */
    private final long checkMs;

    private final LongSupplier clockMs;

    /** Chunks added to the reader and not reported finished yet (both on the task's thread). */
    private final Set<String> unfinishedChunks;

    private long idleSinceMs = NOT_IDLE;

    private SnapshotStallGuard(
            SourceReader<ChangeEvent, MySqlSplit> reader,
            Set<String> unfinishedChunks,
            Duration timeout,
            LongSupplier clockMs) {
        super(reader);
        this.unfinishedChunks = unfinishedChunks;
        this.timeoutMs = timeout.toMillis();
        this.checkMs = Math.max(100, Math.min(timeoutMs / 4, 30_000));
        this.clockMs = clockMs;
    }

    /**
     * Guards the reader that {@code newReader} makes, handing it a context that notes the chunks it
     * reports finished.
     */
    static SnapshotStallGuard around(
            SourceReaderContext context,
            Duration timeout,
            LongSupplier clockMs,
            FunctionWithException<
                            SourceReaderContext, SourceReader<ChangeEvent, MySqlSplit>, Exception>
                    newReader)
            throws Exception {
        Set<String> unfinishedChunks = new TreeSet<>();
        SourceReader<ChangeEvent, MySqlSplit> reader =
                newReader.apply(new FinishedChunks(context, unfinishedChunks));
        return new SnapshotStallGuard(reader, unfinishedChunks, timeout, clockMs);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ChangeEvent> output) throws Exception {
        InputStatus status = super.pollNext(output);
        if (status != InputStatus.NOTHING_AVAILABLE || unfinishedChunks.isEmpty()) {
            idleSinceMs = NOT_IDLE;
            return status;
        }
        long now = clockMs.getAsLong();
        if (idleSinceMs == NOT_IDLE) {
            idleSinceMs = now;
        } else if (now - idleSinceMs >= timeoutMs) {
            throw new IllegalStateException(
                    "the source's snapshot reader has given nothing for "
                            + Duration.ofMillis(now - idleSinceMs).toSeconds()
                            + " s while holding the unfinished chunk(s) "
                            + unfinishedChunks
                            + " (snapshotStallTimeout): Flink CDC hangs now and then in a"
                            + " chunk's binlog backfill (FLINK-39315, FLINK-39621); the reader"
                            + " restarts from the last checkpoint and reads the chunk anew. If"
                            + " the source's chunk SELECTs take this long, raise"
                            + " snapshotStallTimeout");
        }
        return status;
    }

    /**
     * While a chunk is held, the reader is asked again now and then even when Flink CDC does not
     * say it has records, so that a hang is noticed.
     */
    @Override
    public CompletableFuture<Void> isAvailable() {
        CompletableFuture<Void> available = super.isAvailable();
        if (unfinishedChunks.isEmpty() || available.isDone()) {
            return available;
        }
        CompletableFuture<Void> tick =
                CompletableFuture.runAsync(
                        () -> {},
                        CompletableFuture.delayedExecutor(checkMs, TimeUnit.MILLISECONDS));
        return available.applyToEither(tick, ignored -> null);
    }

    @Override
    public void addSplits(List<MySqlSplit> splits) {
        unfinishedChunks.addAll(unfinishedChunks(splits));
        super.addSplits(splits);
    }

    private static List<String> unfinishedChunks(List<MySqlSplit> splits) {
        return splits.stream()
                .filter(MySqlSplit::isSnapshotSplit)
                .filter(split -> !split.asSnapshotSplit().isSnapshotReadFinished())
                .map(MySqlSplit::splitId)
                .toList();
    }

    /** The reader's context, taking a chunk off the watch when the reader reports it finished. */
    private record FinishedChunks(SourceReaderContext context, Set<String> unfinishedChunks)
            implements SourceReaderContext {
        @Override
        public void sendSourceEventToCoordinator(SourceEvent event) {
            if (event instanceof FinishedSnapshotSplitsReportEvent report) {
                unfinishedChunks.removeAll(report.getFinishedOffsets().keySet());
            }
            context.sendSourceEventToCoordinator(event);
        }

        @Override
        public SourceReaderMetricGroup metricGroup() {
            return context.metricGroup();
        }

        @Override
        public Configuration getConfiguration() {
            return context.getConfiguration();
        }

        @Override
        public String getLocalHostName() {
            return context.getLocalHostName();
        }

        @Override
        public int getIndexOfSubtask() {
            return context.getIndexOfSubtask();
        }

        @Override
        public int currentParallelism() {
            return context.currentParallelism();
        }

        @Override
        public void sendSplitRequest() {
            context.sendSplitRequest();
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return context.getUserCodeClassLoader();
        }
    }
}

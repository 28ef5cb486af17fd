package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.relational.TableId;
import io.shardsync.model.ChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.cdc.connectors.mysql.source.events.FinishedSnapshotSplitsReportEvent;
import org.apache.flink.cdc.connectors.mysql.source.offset.BinlogOffset;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlBinlogSplit;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSnapshotSplit;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;

class SnapshotStallGuardTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final BinlogOffset HIGH_WATERMARK =
            BinlogOffset.ofBinlogFilePosition("binlog.000001", 4);

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<SourceEvent> sentToCoordinator = new ArrayList<>();
    private StubReader reader;

    @Test
    void failsAReaderThatHoldsAnUnfinishedChunkAndGivesNothingForTheTimeout() throws Exception {
        SnapshotStallGuard guard = guard();
        guard.addSplits(List.of(chunk(3, null)));

        assertEquals(InputStatus.NOTHING_AVAILABLE, guard.pollNext(null));
        now.addAndGet(TIMEOUT.toMillis() - 1);
        assertEquals(InputStatus.NOTHING_AVAILABLE, guard.pollNext(null));
        now.addAndGet(1);
        IllegalStateException stall =
                assertThrows(IllegalStateException.class, () -> guard.pollNext(null));
        assertTrue(stall.getMessage().contains("[db.orders:3]"), stall.getMessage());
    }

    @Test
    void aChunkTheReaderReportsFinishedLeavesTheWatch() throws Exception {
        SnapshotStallGuard guard = guard();
        guard.addSplits(List.of(chunk(3, null)));
        FinishedSnapshotSplitsReportEvent report =
                new FinishedSnapshotSplitsReportEvent(Map.of("db.orders:3", HIGH_WATERMARK));
        reader.context.sendSourceEventToCoordinator(report);

        assertEquals(List.of(report), sentToCoordinator, "the report still reaches Flink CDC");
        idleFor(guard, 2 * TIMEOUT.toMillis());
    }

    @Test
    void recordsRestartTheClock() throws Exception {
        SnapshotStallGuard guard = guard();
        guard.addSplits(List.of(chunk(3, null)));
        guard.pollNext(null);
        now.addAndGet(TIMEOUT.toMillis() - 1);
        reader.records = 1;
        assertEquals(InputStatus.MORE_AVAILABLE, guard.pollNext(null));

        guard.pollNext(null);
        now.addAndGet(TIMEOUT.toMillis() - 1);
        assertDoesNotThrow(() -> guard.pollNext(null));
    }

    @Test
    void aReaderWithoutUnfinishedChunksIsNeverFailed() throws Exception {
        SnapshotStallGuard guard = guard();
        guard.addSplits(
                List.of(
                        chunk(1, HIGH_WATERMARK), // restored, finished but not acknowledged
                        new MySqlBinlogSplit(
                                "binlog-split", HIGH_WATERMARK, null, List.of(), Map.of(), 0)));
        idleFor(guard, 2 * TIMEOUT.toMillis());
    }

    @Test
    void aReaderHoldingAChunkIsAskedAgainThoughFlinkCdcSaysNothing() throws Exception {
        SnapshotStallGuard guard = guard(Duration.ofMillis(400));
        assertFalse(guard.isAvailable().isDone(), "no chunk: Flink CDC's own answer");

        guard.addSplits(List.of(chunk(3, null)));
        CompletableFuture<Void> available = guard.isAvailable();
        assertDoesNotThrow(() -> available.get(10, TimeUnit.SECONDS));
    }

    private void idleFor(SnapshotStallGuard guard, long ms) throws Exception {
        for (long idle = 0; idle <= ms; idle += 1_000) {
            assertEquals(InputStatus.NOTHING_AVAILABLE, guard.pollNext(null));
            now.addAndGet(1_000);
        }
    }

    private SnapshotStallGuard guard() throws Exception {
        return guard(TIMEOUT);
    }

    private SnapshotStallGuard guard(Duration timeout) throws Exception {
        return SnapshotStallGuard.around(
                new CoordinatorLink(),
                timeout,
                now::get,
                context -> reader = new StubReader(context));
    }

    private static MySqlSnapshotSplit chunk(int index, BinlogOffset highWatermark) {
        return new MySqlSnapshotSplit(
                TableId.parse("db.orders"), index, null, null, null, highWatermark, Map.of());
    }

    /** Flink CDC's reader as the guard sees it: records or none, never available by itself. */
    private static final class StubReader implements SourceReader<ChangeEvent, MySqlSplit> {
        final SourceReaderContext context;
        int records;

        StubReader(SourceReaderContext context) {
            this.context = context;
        }

        @Override
        public InputStatus pollNext(ReaderOutput<ChangeEvent> output) {
            if (records == 0) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            records--;
            return InputStatus.MORE_AVAILABLE;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return new CompletableFuture<>();
        }

        @Override
        public void start() {}

        @Override
        public List<MySqlSplit> snapshotState(long checkpointId) {
            return List.of();
        }

        @Override
        public void addSplits(List<MySqlSplit> splits) {}

        @Override
        public void notifyNoMoreSplits() {}

        @Override
        public void close() {}
    }

    /** The task's context, keeping what the reader sends to the enumerator. */
    private final class CoordinatorLink implements SourceReaderContext {
        @Override
        public void sendSourceEventToCoordinator(SourceEvent event) {
            sentToCoordinator.add(event);
        }

        @Override
        public SourceReaderMetricGroup metricGroup() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Configuration getConfiguration() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getLocalHostName() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int getIndexOfSubtask() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendSplitRequest() {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            throw new UnsupportedOperationException();
        }
    }
}

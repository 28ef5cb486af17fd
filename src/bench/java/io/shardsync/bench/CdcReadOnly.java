package io.shardsync.bench;

import io.shardsync.CommandLine;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import io.shardsync.model.SyncTable;
import io.shardsync.source.BeforeImages;
import io.shardsync.source.ChangeSources;
import io.shardsync.source.SchemaLoader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The ceiling of every CDC pipeline here, for the benchmark: the same MySqlSource and change
 * deserializer as ShardSync, chained into a sink that only counts, at the same parallelism. Prints
 * the snapshot's rows/s once {@code --rows} rows were read, then the binlog's events/s once as many
 * binlog changes were read (from the first one). Runs until killed.
 */
public final class CdcReadOnly {
    private static final AtomicLong SNAPSHOT = new AtomicLong();
    private static final AtomicLong BINLOG = new AtomicLong();

    private CdcReadOnly() {}

    public static void main(String[] args) throws Exception {
        CommandLine commandLine = new CommandLine(args);
        JobConfig config = ConfigLoader.load(commandLine.required("config"));
        long rows = Long.parseLong(commandLine.required("rows"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(config.parallelism());
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        List<SyncTable> tables = SchemaLoader.load(config);
        env.fromSource(
                        ChangeSources.mysql(
                                config.singleSource(),
                                tables,
                                1,
                                BeforeImages.of(tables, tables, table -> false)),
                        WatermarkStrategy.noWatermarks(),
                        "MySQL binlog")
                .filter(CdcReadOnly::count)
                .sinkTo(new DiscardingSink<>());
        env.executeAsync("cdc-read-only");
        report("snapshot", SNAPSHOT, rows, "rows");
        report("binlog", BINLOG, rows, "events");
    }

    private static boolean count(ChangeEvent event) {
        (event.op == Op.READ ? SNAPSHOT : BINLOG).incrementAndGet();
        return false;
    }

    /** Waits for the first and the n-th count, then prints the rate between them. */
    private static void report(String phase, AtomicLong counter, long n, String unit)
            throws InterruptedException {
        while (counter.get() == 0) {
            Thread.sleep(10);
        }
        long start = System.nanoTime();
        while (counter.get() < n) {
            Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "%s: %d %s in %.1f s: %d %s/s%n",
                phase, n, unit, seconds, Math.round(n / seconds), unit);
    }
}

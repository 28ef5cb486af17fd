package io.shardsync.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.LatencySample;
import io.shardsync.model.Op;
import io.shardsync.model.SyncTable;
import io.shardsync.testing.Events;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class CommitReporterTest {
    private static final SyncTable TABLE =
            new SyncTable(
                    "db",
                    "t",
                    List.of(
                            new Column("id", "bigint", "bigint", false, null, false),
                            new Column("value", "varchar", "varchar(20)", true, null, false)),
                    new int[] {0},
                    -1,
                    ShardRule.MOD,
                    -1,
                    List.of(),
                    "",
                    SchemaChanges.of(SchemaChangePolicy.FAIL));

    @Test
    void samplesEveryNthChangeAcrossFlushesNotOnePerFlush() {
        List<LatencySample> samples = new ArrayList<>();
        CommitReporter reporter =
                new CommitReporter(
                        "shard-0",
                        List.of(TABLE),
                        100,
                        new UnregisteredMetricsGroup(),
                        conflict -> {},
                        samples::add);
        long position = 1;
        for (int flush = 0; flush < 25; flush++) {
            List<ChangeEvent> changes = new ArrayList<>();
            for (int i = 0; i < 10; i++, position++) {
                changes.add(Events.event(Op.INSERT, "" + position, "v", position, position));
            }
            reporter.committed(changes, List.of(), 1_000_000);
        }
        // 250 changes: the 1st, 101st and 201st
        assertEquals(List.of("1", "101", "201"), samples.stream().map(s -> s.key[0]).toList());
    }
}

package io.shardsync.sink.records;

import io.shardsync.config.ControlDatabaseConfig;
import io.shardsync.model.LatencySample;
import java.time.Duration;
import java.util.List;

/**
 * A latency sample (README "Side outputs") as the sync_latency row and the latency topic message.
 */
public final class LatencyFormat implements RecordFormat<LatencySample> {
    private static final List<Field> FIELDS =
            List.of(
                    new Field("table_name", "VARCHAR(200) NOT NULL"),
                    new Field("shard", "VARCHAR(100) NOT NULL"),
                    new Field("row_key", "VARCHAR(700) NOT NULL"),
                    new Field("op", "VARCHAR(8) NOT NULL"),
                    new Field("version", "VARCHAR(100) NOT NULL"),
                    new Field("source_time_ms", "BIGINT NOT NULL"),
                    new Field("read_time_ms", "BIGINT NOT NULL"),
                    new Field("committed_at_ms", "BIGINT NOT NULL"),
                    new Field("latency_ms", "BIGINT NOT NULL"));

    @Override
    public String table() {
        return "sync_latency";
    }

    @Override
    public String timeField() {
        return "committed_at_ms";
    }

    @Override
    public Duration retention(ControlDatabaseConfig control) {
        return control.latencyRetention();
    }

    @Override
    public List<Field> fields() {
        return FIELDS;
    }

    @Override
    public Object[] values(LatencySample s) {
        return new Object[] {
            s.table,
            s.shard,
            String.join(",", s.key),
            s.op.name(),
            s.version,
            s.sourceTimeMs,
            s.readTimeMs,
            s.committedAtMs,
            s.latencyMs()
        };
    }

    @Override
    public String key(LatencySample s) {
        return s.table + "/" + s.shard;
    }
}

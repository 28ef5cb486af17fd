package io.shardsync.sink.records;

import io.shardsync.config.ControlDatabaseConfig;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import java.time.Duration;
import java.util.List;

/**
 * A conflict record (README "Side outputs") as the sync_conflicts row and the conflicts topic
 * message. Row images keep each value up to {@link #MAX_VALUE_CHARS}; a longer one (a row the shard
 * refused for its size) is recorded as its length, so the record itself fits every destination.
 */
public final class ConflictFormat implements RecordFormat<Conflict> {
    static final int MAX_VALUE_CHARS = 64 * 1024;
    static final int MAX_KEY_CHARS = 700;

    private static final List<Field> FIELDS =
            List.of(
                    new Field("kind", "VARCHAR(40) NOT NULL"),
                    new Field("table_name", "VARCHAR(200)"),
                    new Field("row_key", "VARCHAR(700)"),
                    new Field("op", "VARCHAR(8)"),
                    new Field("incoming_version", "VARCHAR(100)"),
                    new Field("current_version", "VARCHAR(100)"),
                    new Field("applied", "BOOLEAN NOT NULL"),
                    new Field("shard", "VARCHAR(100)"),
                    new Field("error", "TEXT"),
                    new Field("source_id", "VARCHAR(100)"),
                    new Field("binlog_file", "VARCHAR(100)"),
                    new Field("source_time_ms", "BIGINT"),
                    new Field("before_image", "LONGTEXT"),
                    new Field("after_image", "LONGTEXT"),
                    new Field("detected_at_ms", "BIGINT NOT NULL"));

    @Override
    public String table() {
        return "sync_conflicts";
    }

    @Override
    public String timeField() {
        return "detected_at_ms";
    }

    @Override
    public Duration retention(ControlDatabaseConfig control) {
        return control.conflictRetention();
    }

    @Override
    public List<Field> fields() {
        return FIELDS;
    }

    @Override
    public Object[] values(Conflict c) {
        ChangeEvent e = c.incoming;
        return new Object[] {
            c.kind.name(),
            e == null ? null : e.qualifiedTable(),
            e == null ? null : boundedKey(e.key),
            e == null ? null : e.op.name(),
            e == null ? null : e.version.toString(),
            c.current == null ? null : c.current.toString(),
            c.applied,
            c.shard,
            c.error,
            e == null ? null : e.sourceId,
            e == null ? null : e.binlogFile,
            e == null ? null : e.sourceTimeMs,
            e == null ? null : bounded(e.before),
            e == null ? null : bounded(e.after),
            c.detectedAtMs
        };
    }

    /** The row's key; an outage's shard; for a malformed message, which has no row, its kind. */
    @Override
    public String key(Conflict c) {
        if (c.incoming != null) {
            return c.incoming.rowKey();
        }
        return c.shard != null ? c.shard : c.kind.name();
    }

    /** A row key as recorded: its values joined, cut to the column's width. */
    public static String boundedKey(String[] key) {
        String text = String.join(",", key);
        return text.length() <= MAX_KEY_CHARS ? text : text.substring(0, MAX_KEY_CHARS);
    }

    /** A row image as recorded: a value past {@link #MAX_VALUE_CHARS} becomes its length. */
    public static String[] bounded(String[] image) {
        if (image == null) {
            return null;
        }
        String[] bounded = image.clone();
        for (int i = 0; i < bounded.length; i++) {
            if (bounded[i] != null && bounded[i].length() > MAX_VALUE_CHARS) {
                bounded[i] = "(" + bounded[i].length() + " characters, not recorded)";
            }
        }
        return bounded;
    }
}

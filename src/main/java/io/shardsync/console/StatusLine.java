package io.shardsync.console;

import io.shardsync.model.ConflictKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a local run prints every few seconds, in one line: snapshot rows read per table, binlog lag,
 * applied changes per second, conflict records by kind, the last completed checkpoint. Pure
 * formatting: {@link StatusPoller} reads the values from the job's metrics.
 *
 * @param snapshotRows rows the snapshot read so far, per table as the metrics name it
 * @param sourceLagMs read time - source commit time of the last binlog change; negative before the
 *     first one (a snapshot has no commit time)
 * @param appliedPerSecond changes that won the merge, per second over the last minute
 * @param conflicts conflict records so far by kind, zeros left out
 * @param lastCheckpoint the last completed checkpoint, null before the first
 */
public record StatusLine(
        SortedMap<String, Long> snapshotRows,
        long sourceLagMs,
        double appliedPerSecond,
        Map<ConflictKind, Long> conflicts,
        Checkpoint lastCheckpoint) {

    /** The last completed checkpoint: its id, how long ago it completed, duration and size. */
    public record Checkpoint(long id, long ageMs, long durationMs, long sizeBytes) {}

    public String format() {
        return String.join(
                " | ",
                "snapshot " + snapshotText(),
                "binlog lag " + (sourceLagMs < 0 ? "-" : duration(sourceLagMs)),
                String.format(Locale.ROOT, "applied %.1f/s", appliedPerSecond),
                "conflicts " + conflictsText(),
                "checkpoint " + checkpointText());
    }

    private String snapshotText() {
        if (snapshotRows.isEmpty()) {
            return "-";
        }
        List<String> tables = new ArrayList<>();
        snapshotRows.forEach((table, rows) -> tables.add(table + " " + rows + " rows"));
        return String.join(", ", tables);
    }

    private String conflictsText() {
        List<String> kinds = new ArrayList<>();
        for (ConflictKind kind : ConflictKind.values()) { // a fixed order, so lines compare by eye
            long count = conflicts.getOrDefault(kind, 0L);
            if (count > 0) {
                kinds.add(kind + " " + count);
            }
        }
        return kinds.isEmpty() ? "none" : String.join(", ", kinds);
    }

    private String checkpointText() {
        if (lastCheckpoint == null) {
            return "none yet";
        }
        return String.format(
                Locale.ROOT,
                "#%d %s ago (%s, %s)",
                lastCheckpoint.id(),
                duration(lastCheckpoint.ageMs()),
                duration(lastCheckpoint.durationMs()),
                size(lastCheckpoint.sizeBytes()));
    }

    static String duration(long ms) {
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return String.format(Locale.ROOT, "%d min %02d s", ms / 60_000, ms / 1000 % 60);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGT";
        int unit = (int) (Math.log(bytes) / Math.log(1024)) - 1;
        unit = Math.min(unit, units.length() - 1);
        return String.format(
                Locale.ROOT, "%.1f %sB", bytes / Math.pow(1024, unit + 1), units.charAt(unit));
    }
}

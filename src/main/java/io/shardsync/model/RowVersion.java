package io.shardsync.model;

import java.util.Objects;

/**
 * Order of a row's changes: the version column value (0 when the table has none), ties broken by
 * binlog position (file index, offset, row within the event). Snapshot reads sit at position zero,
 * before every binlog change.
 */
public class RowVersion implements Comparable<RowVersion> {
    public long value;
    public long fileIndex;
    public long position;
    public int row;

    public RowVersion() {}

    public RowVersion(long value, long fileIndex, long position, int row) {
        this.value = value;
        this.fileIndex = fileIndex;
        this.position = position;
        this.row = row;
    }

    public RowVersion copy() {
        return new RowVersion(value, fileIndex, position, row);
    }

    /** The numeric suffix of a binlog file name ({@code binlog.000042} is 42); 0 for none. */
    public static long fileIndex(String binlogFile) {
        if (binlogFile == null || binlogFile.isEmpty()) {
            return 0;
        }
        return Long.parseLong(binlogFile.substring(binlogFile.lastIndexOf('.') + 1));
    }

    /**
     * Order of two versions of one row from the given sources. Binlog positions only order changes
     * of one server; between sources the version value alone decides, and equal values are one
     * version.
     */
    public static int compare(
            String source, RowVersion version, String otherSource, RowVersion other) {
        return source.equals(otherSource)
                ? version.compareTo(other)
                : Long.compare(version.value, other.value);
    }

    /**
     * Order of a write of a row against the delete that left its tombstone. In one server's binlog
     * a row written after its key was deleted is a new row, newer whatever its version value (a key
     * handed to another row, e.g. {@code id = id + N}, carries that row's version); a replayed
     * older write sits before the delete, and a write at the delete's own position is the second
     * half of a key change (Debezium splits it in two). Between sources the version value decides,
     * and so it does between changes without a binlog position (a kafka source's Canal messages,
     * which arrive in any order): a write at the delete's version is not newer.
     */
    public static int compareToDelete(
            String source, RowVersion version, String deleteSource, RowVersion delete) {
        if (!source.equals(deleteSource) || !version.hasPosition() && !delete.hasPosition()) {
            return Long.compare(version.value, delete.value);
        }
        int c = Long.compare(version.fileIndex, delete.fileIndex);
        if (c == 0) {
            c = Long.compare(version.position, delete.position);
        }
        if (c == 0) {
            c = Integer.compare(version.row, delete.row);
        }
        return c != 0 ? c : 1;
    }

    /** Whether a binlog position orders this version (snapshot reads and Canal messages: none). */
    public boolean hasPosition() {
        return fileIndex != 0 || position != 0;
    }

    @Override
    public int compareTo(RowVersion other) {
        int c = Long.compare(value, other.value);
        if (c == 0) {
            c = Long.compare(fileIndex, other.fileIndex);
        }
        if (c == 0) {
            c = Long.compare(position, other.position);
        }
        return c != 0 ? c : Integer.compare(row, other.row);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, fileIndex, position, row);
    }

    @Override
    public String toString() {
        return value + "@" + fileIndex + ":" + position + "#" + row;
    }
}

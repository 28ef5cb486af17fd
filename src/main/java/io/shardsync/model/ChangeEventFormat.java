package io.shardsync.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A change event's bytes, field by field: strings as their UTF-8 length (-1: null) and bytes,
 * arrays as their length (-1: null) and elements, the image's column names and the target table
 * last. The shuffle uses it ({@link ChangeEventSerializer}), and so do the pending shard
 * transactions in checkpoints (format 2 of those has no column names, format 3 has, format 4 has
 * the target table after them), so it never changes but by such an addition at the end.
 */
public final class ChangeEventFormat {
    /** How a format reads a string; format 1 of pending transactions wrote them otherwise. */
    public interface Strings {
        String read(DataInputView in) throws IOException;
    }

    /** This format's strings. */
    public static final Strings UTF8 = ChangeEventFormat::readString;

    private ChangeEventFormat() {}

    public static void write(ChangeEvent e, DataOutputView out) throws IOException {
        writeString(e.sourceId, out);
        writeString(e.database, out);
        writeString(e.table, out);
        out.writeByte(e.op.ordinal());
        writeArray(e.key, out);
        writeArray(e.before, out);
        writeArray(e.after, out);
        out.writeLong(e.version.value);
        out.writeLong(e.version.fileIndex);
        out.writeLong(e.version.position);
        out.writeInt(e.version.row);
        writeString(e.binlogFile, out);
        out.writeLong(e.sourceTimeMs);
        out.writeLong(e.readTimeMs);
        writeArray(e.columns, out);
        writeString(e.target, out);
    }

    /** An event of this format. */
    public static ChangeEvent read(DataInputView in) throws IOException {
        ChangeEvent e = readWithoutTarget(in);
        e.target = readString(in);
        return e;
    }

    /** An event written before changes named their target table (pending transactions of 3). */
    public static ChangeEvent readWithoutTarget(DataInputView in) throws IOException {
        ChangeEvent e = readWithoutColumns(in, UTF8);
        e.columns = readArray(in, UTF8);
        return e;
    }

    /** An event written before images named their columns (pending transactions of format 1, 2). */
    public static ChangeEvent readWithoutColumns(DataInputView in, Strings strings)
            throws IOException {
        ChangeEvent e = new ChangeEvent();
        e.sourceId = strings.read(in);
        e.database = strings.read(in);
        e.table = strings.read(in);
        e.op = Op.values()[in.readByte()];
        e.key = readArray(in, strings);
        e.before = readArray(in, strings);
        e.after = readArray(in, strings);
        e.version = new RowVersion(in.readLong(), in.readLong(), in.readLong(), in.readInt());
        e.binlogFile = strings.read(in);
        e.sourceTimeMs = in.readLong();
        e.readTimeMs = in.readLong();
        return e;
    }

    private static void writeArray(String[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (String value : values) {
                writeString(value, out);
            }
        }
    }

    private static String[] readArray(DataInputView in, Strings strings) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        String[] values = new String[length];
        for (int i = 0; i < length; i++) {
            values[i] = strings.read(in);
        }
        return values;
    }

    private static void writeString(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

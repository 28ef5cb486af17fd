package io.shardsync.sink;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Checkpoint format of pending shard transactions. Written field by field (not by a generic
 * serializer) so the savepoint format only changes when this class says so. Version 2 writes
 * strings as length-prefixed UTF-8 (one array copy each, where version 1's char-by-char encoding
 * was a tenth of the sink task's time); version 1 is still read.
 */
public class ShardTransactionSerializer implements SimpleVersionedSerializer<ShardTransaction> {
    private static final int VERSION = 2;
    private static final int BYTES_PER_CHANGE = 256;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ShardTransaction transaction) throws IOException {
        DataOutputSerializer out =
                new DataOutputSerializer(
                        Math.max(1024, transaction.changes().size() * BYTES_PER_CHANGE));
        out.writeUTF(transaction.id());
        out.writeInt(transaction.changes().size());
        for (ChangeEvent change : transaction.changes()) {
            write(change, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public ShardTransaction deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException("unknown shard transaction format version " + version);
        }
        Strings strings = version == 1 ? StringValue::readString : ShardTransactionSerializer::read;
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        String id = in.readUTF();
        int count = in.readInt();
        List<ChangeEvent> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            changes.add(read(in, strings));
        }
        return new ShardTransaction(id, changes);
    }

    /** How a format version reads a string. */
    private interface Strings {
        String read(DataInputView in) throws IOException;
    }

    private static void write(ChangeEvent e, DataOutputView out) throws IOException {
        write(e.sourceId, out);
        write(e.database, out);
        write(e.table, out);
        out.writeByte(e.op.ordinal());
        writeArray(e.key, out);
        writeArray(e.before, out);
        writeArray(e.after, out);
        out.writeLong(e.version.value);
        out.writeLong(e.version.fileIndex);
        out.writeLong(e.version.position);
        out.writeInt(e.version.row);
        write(e.binlogFile, out);
        out.writeLong(e.sourceTimeMs);
        out.writeLong(e.readTimeMs);
    }

    private static ChangeEvent read(DataInputView in, Strings strings) throws IOException {
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
                write(value, out);
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

    /** Version 2 strings: byte length (-1: null), then UTF-8. */
    private static void write(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String read(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

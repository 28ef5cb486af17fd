package io.shardsync.sink;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import java.io.IOException;
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
 * serializer) so the savepoint format only changes when this class says so.
 */
public class ShardTransactionSerializer implements SimpleVersionedSerializer<ShardTransaction> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ShardTransaction transaction) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        out.writeUTF(transaction.id());
        out.writeInt(transaction.changes().size());
        for (ChangeEvent change : transaction.changes()) {
            write(change, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public ShardTransaction deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown shard transaction format version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        String id = in.readUTF();
        int count = in.readInt();
        List<ChangeEvent> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            changes.add(read(in));
        }
        return new ShardTransaction(id, changes);
    }

    private static void write(ChangeEvent e, DataOutputView out) throws IOException {
        StringValue.writeString(e.sourceId, out);
        StringValue.writeString(e.database, out);
        StringValue.writeString(e.table, out);
        out.writeByte(e.op.ordinal());
        writeArray(e.key, out);
        writeArray(e.before, out);
        writeArray(e.after, out);
        out.writeLong(e.version.value);
        out.writeLong(e.version.fileIndex);
        out.writeLong(e.version.position);
        out.writeInt(e.version.row);
        StringValue.writeString(e.binlogFile, out);
        out.writeLong(e.sourceTimeMs);
        out.writeLong(e.readTimeMs);
    }

    private static ChangeEvent read(DataInputView in) throws IOException {
        ChangeEvent e = new ChangeEvent();
        e.sourceId = StringValue.readString(in);
        e.database = StringValue.readString(in);
        e.table = StringValue.readString(in);
        e.op = Op.values()[in.readByte()];
        e.key = readArray(in);
        e.before = readArray(in);
        e.after = readArray(in);
        e.version = new RowVersion(in.readLong(), in.readLong(), in.readLong(), in.readInt());
        e.binlogFile = StringValue.readString(in);
        e.sourceTimeMs = in.readLong();
        e.readTimeMs = in.readLong();
        return e;
    }

    private static void writeArray(String[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (String value : values) {
                StringValue.writeString(value, out);
            }
        }
    }

    private static String[] readArray(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        String[] values = new String[length];
        for (int i = 0; i < length; i++) {
            values[i] = StringValue.readString(in);
        }
        return values;
    }
}

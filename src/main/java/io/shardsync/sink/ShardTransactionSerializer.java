package io.shardsync.sink;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.ChangeEventFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;

/**
 * Checkpoint format of pending shard transactions. Written field by field (not by a generic
 * serializer) so the savepoint format only changes when this class says so. Version 4 writes each
 * change in {@link ChangeEventFormat} with the names of its image's columns and its target table;
 * version 3 wrote it without the target, version 2 without the columns either (strings as
 * length-prefixed UTF-8), version 1 char by char (a tenth of the sink task's time); all are still
 * read.
 */
public class ShardTransactionSerializer implements SimpleVersionedSerializer<ShardTransaction> {
    private static final int VERSION = 4;
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
        writeHeader(transaction.id(), transaction.changes().size(), out);
        for (ChangeEvent change : transaction.changes()) {
            ChangeEventFormat.write(change, out);
        }
        return out.getCopyOfBuffer();
    }

    /**
     * A transaction of changes already in {@link ChangeEventFormat}, framed with this version as
     * {@link SimpleVersionedSerialization#writeVersionAndSerialize} frames it (version, length,
     * bytes), so {@link SimpleVersionedSerialization#readVersionAndDeSerialize} reads it back.
     */
    byte[] serializeVersioned(String id, Collection<byte[]> changes) throws IOException {
        int length = 0;
        for (byte[] change : changes) {
            length += change.length;
        }
        DataOutputSerializer out = new DataOutputSerializer(length + id.length() * 3 + 16);
        out.writeInt(VERSION);
        out.writeInt(0); // the payload's length, once known
        writeHeader(id, changes.size(), out);
        for (byte[] change : changes) {
            out.write(change);
        }
        byte[] versioned = out.getCopyOfBuffer();
        ByteBuffer.wrap(versioned).putInt(4, versioned.length - 8);
        return versioned;
    }

    private static void writeHeader(String id, int changes, DataOutputSerializer out)
            throws IOException {
        out.writeUTF(id);
        out.writeInt(changes);
    }

    @Override
    public ShardTransaction deserialize(int version, byte[] bytes) throws IOException {
        if (version < 1 || version > VERSION) {
            throw new IOException("unknown shard transaction format version " + version);
        }
        ChangeEventFormat.Strings strings =
                version == 1 ? StringValue::readString : ChangeEventFormat.UTF8;
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        String id = in.readUTF();
        int count = in.readInt();
        List<ChangeEvent> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            changes.add(
                    switch (version) {
                        case VERSION -> ChangeEventFormat.read(in);
                        case 3 -> ChangeEventFormat.readWithoutTarget(in);
                        default -> ChangeEventFormat.readWithoutColumns(in, strings);
                    });
        }
        return new ShardTransaction(id, changes);
    }
}

package io.shardsync.sink.records;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;

/**
 * The side-output rows one writer collected between two checkpoints, each a JSON array of field
 * values, committed to the control database under a random id when the checkpoint completes.
 */
public record ControlRows(String id, List<String> rows) {

    /** Checkpoint format, field by field. */
    public static final class Serializer implements SimpleVersionedSerializer<ControlRows> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ControlRows batch) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeUTF(batch.id());
            out.writeInt(batch.rows().size());
            for (String row : batch.rows()) {
                StringValue.writeString(row, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public ControlRows deserialize(int version, byte[] bytes) throws IOException {
            if (version != getVersion()) {
                throw new IOException("unknown control rows format version " + version);
            }
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            String id = in.readUTF();
            int count = in.readInt();
            List<String> rows = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                rows.add(StringValue.readString(in));
            }
            return new ControlRows(id, rows);
        }
    }
}

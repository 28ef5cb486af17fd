package io.shardsync.model;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of change events on the wire (the keyBy shuffle from the sources to the merge),
 * in {@link ChangeEventFormat}: each field written directly, where Flink's POJO serializer reaches
 * every field by reflection and writes strings char by char. State keeps the POJO serializer.
 */
public final class ChangeEventSerializer extends FieldByFieldSerializer<ChangeEvent> {
    public static final ChangeEventSerializer INSTANCE = new ChangeEventSerializer();

    private ChangeEventSerializer() {}

    @Override
    public ChangeEvent createInstance() {
        return new ChangeEvent();
    }

    @Override
    public ChangeEvent copy(ChangeEvent from) {
        ChangeEvent copy = from.withOp(from.op, copyOf(from.key), copyOf(from.after));
        copy.before = copyOf(from.before);
        copy.columns = copyOf(from.columns);
        copy.version = from.version.copy();
        return copy;
    }

    @Override
    public void serialize(ChangeEvent event, DataOutputView target) throws IOException {
        ChangeEventFormat.write(event, target);
    }

    @Override
    public ChangeEvent deserialize(DataInputView source) throws IOException {
        return ChangeEventFormat.read(source);
    }

    @Override
    public TypeSerializerSnapshot<ChangeEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    private static String[] copyOf(String[] values) {
        return values == null ? null : values.clone();
    }

    /** Stateless: restores the one instance. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChangeEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

package io.shardsync.merge;

import io.shardsync.model.FieldByFieldSerializer;
import io.shardsync.model.RowVersion;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The merge's per-row state in a fixed layout: a byte of flags (deleted, has a version, has a
 * source), the version's four numbers, the source id, the content hash and the tombstone expiry.
 * The merge reads and writes it for every change; Flink's POJO serializer did that by reflection
 * (an instance created and every field set reflectively). State written by the POJO serializer
 * (savepoints before this format) is migrated to it when restored.
 */
public final class MergeStateSerializer extends FieldByFieldSerializer<MergeState> {
    public static final MergeStateSerializer INSTANCE = new MergeStateSerializer();

    private static final int DELETED = 1;
    private static final int VERSION = 2;
    private static final int SOURCE = 4;

    private MergeStateSerializer() {}

    @Override
    public MergeState createInstance() {
        return new MergeState();
    }

    @Override
    public MergeState copy(MergeState from) {
        MergeState copy = new MergeState();
        copy.version = from.version == null ? null : from.version.copy();
        copy.sourceId = from.sourceId;
        copy.contentHash = from.contentHash;
        copy.deleted = from.deleted;
        copy.tombstoneExpiry = from.tombstoneExpiry;
        return copy;
    }

    @Override
    public void serialize(MergeState state, DataOutputView out) throws IOException {
        out.writeByte(
                (state.deleted ? DELETED : 0)
                        | (state.version != null ? VERSION : 0)
                        | (state.sourceId != null ? SOURCE : 0));
        if (state.version != null) {
            out.writeLong(state.version.value);
            out.writeLong(state.version.fileIndex);
            out.writeLong(state.version.position);
            out.writeInt(state.version.row);
        }
        if (state.sourceId != null) {
            out.writeUTF(state.sourceId);
        }
        out.writeLong(state.contentHash);
        out.writeLong(state.tombstoneExpiry);
    }

    @Override
    public MergeState deserialize(DataInputView in) throws IOException {
        int flags = in.readByte();
        MergeState state = new MergeState();
        state.deleted = (flags & DELETED) != 0;
        if ((flags & VERSION) != 0) {
            state.version =
                    new RowVersion(in.readLong(), in.readLong(), in.readLong(), in.readInt());
        }
        if ((flags & SOURCE) != 0) {
            state.sourceId = in.readUTF();
        }
        state.contentHash = in.readLong();
        state.tombstoneExpiry = in.readLong();
        return state;
    }

    @Override
    public TypeSerializerSnapshot<MergeState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Stateless: restores the one instance; state of the POJO serializer migrates to it. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MergeState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<MergeState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<MergeState> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }
}

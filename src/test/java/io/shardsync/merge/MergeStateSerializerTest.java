package io.shardsync.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.model.RowVersion;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class MergeStateSerializerTest {
    private final MergeStateSerializer serializer = MergeStateSerializer.INSTANCE;

    private static MergeState state(
            RowVersion version, String source, long hash, boolean deleted, long expiry) {
        MergeState state = new MergeState();
        state.version = version;
        state.sourceId = source;
        state.contentHash = hash;
        state.deleted = deleted;
        state.tombstoneExpiry = expiry;
        return state;
    }

    private static List<Object> fields(MergeState s) {
        return Arrays.asList(
                s.version == null ? null : s.version.toString(),
                s.sourceId,
                s.contentHash,
                s.deleted,
                s.tombstoneExpiry);
    }

    @Test
    void roundTripsLiveRowsTombstonesAndEmptyFields() throws Exception {
        List<MergeState> states =
                List.of(
                        state(
                                new RowVersion(Long.MIN_VALUE, 42, 1_234_567, 3),
                                "eu-wést",
                                -7,
                                false,
                                0),
                        state(new RowVersion(5, 0, 0, 0), "source-1", Long.MAX_VALUE, true, 99),
                        state(null, null, 0, false, 0));
        DataOutputSerializer out = new DataOutputSerializer(16);
        for (MergeState s : states) {
            serializer.serialize(s, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (MergeState s : states) {
            assertEquals(fields(s), fields(serializer.deserialize(in)));
        }
        assertEquals(0, in.available());
    }

    @Test
    void copiesAreDeep() {
        MergeState original = state(new RowVersion(1, 2, 3, 4), "s", 5, false, 0);
        MergeState copy = serializer.copy(original);
        assertEquals(fields(original), fields(copy));
        assertNotSame(original.version, copy.version);
    }

    @Test
    void stateOfThePojoSerializerMigratesAndItsOwnIsCompatibleAsIs() {
        TypeSerializer<MergeState> pojo =
                TypeInformation.of(MergeState.class)
                        .createSerializer(new ExecutionConfig().getSerializerConfig());
        assertTrue(
                serializer
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(pojo.snapshotConfiguration())
                        .isCompatibleAfterMigration());
        assertTrue(
                serializer
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(serializer.snapshotConfiguration())
                        .isCompatibleAsIs());
    }
}

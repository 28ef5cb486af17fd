package io.shardsync.sink.records;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.SyncTable;

/** The change topic's message value of a change, for tests that feed a kafka source with it. */
public final class ChangeEnvelopes {
    private ChangeEnvelopes() {}

    public static String value(ChangeEvent event, SyncTable table) {
        return ChangeEnvelope.value(event, table).toString();
    }
}

package io.shardsync.pipeline;

import io.shardsync.model.Conflict;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each conflict to the TaskManager log at WARN, so none goes unreported. */
class ConflictLogSink implements Sink<Conflict> {
    private static final Logger LOG = LoggerFactory.getLogger(ConflictLogSink.class);

    @Override
    @Deprecated
    public SinkWriter<Conflict> createWriter(InitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(Conflict conflict, Context context) {
                LOG.warn("Conflict: {}", conflict);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}

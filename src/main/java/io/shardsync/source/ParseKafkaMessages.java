package io.shardsync.source;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.MetricNames;
import io.shardsync.model.SideOutputs;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right behind a kafka source (which cannot emit side outputs): each message becomes its changes,
 * or, when it does not parse, one {@code MALFORMED_MESSAGE} conflict naming the topic, partition,
 * offset and reason. A bad message is reported and passed, never retried: a restart would read it
 * again and fail again.
 */
public class ParseKafkaMessages extends ProcessFunction<KafkaMessage, ChangeEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ParseKafkaMessages.class);

    private final KafkaMessageParser parser;
    private transient Counter malformed;

    public ParseKafkaMessages(KafkaMessageParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(OpenContext openContext) {
        malformed =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup(MetricNames.GROUP)
                        .counter(MetricNames.MALFORMED);
    }

    @Override
    public void processElement(KafkaMessage message, Context ctx, Collector<ChangeEvent> out) {
        try {
            parser.parse(message).forEach(out::collect);
        } catch (KafkaMessageParser.Malformed e) {
            malformed.inc();
            // the reason may quote values: it goes to the conflict destinations, not the log
            LOG.warn("{}: malformed message, reported as a conflict", message.where());
            Conflict conflict = new Conflict(ConflictKind.MALFORMED_MESSAGE, null, null, false);
            conflict.error = message.where() + ": " + e.getMessage();
            ctx.output(SideOutputs.CONFLICTS, conflict);
        }
    }
}

package io.shardsync.pipeline;

import io.shardsync.config.Destinations;
import io.shardsync.config.JobConfig;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Conflict;
import io.shardsync.model.LatencySample;
import io.shardsync.model.SyncTable;
import io.shardsync.sink.records.ChangeMessages;
import io.shardsync.sink.records.ConflictFormat;
import io.shardsync.sink.records.ControlTableSink;
import io.shardsync.sink.records.KafkaRecordSink;
import io.shardsync.sink.records.LatencyFormat;
import io.shardsync.sink.records.RecordFormat;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where the conflicts and latency samples go, per config: the control database's tables and/or
 * Kafka topics, both exactly-once. Conflicts with no destination are logged, never dropped. The
 * applied changes go to their change topics, when tables have one.
 */
public class SideOutputSinks {
    private final JobConfig config;

    public SideOutputSinks(JobConfig config) {
        this.config = config;
    }

    /** conflicts ---> sync_conflicts table / conflicts topic / job log. */
    public void conflicts(DataStream<Conflict> conflicts) {
        if (!config.conflicts().any()) {
            conflicts.sinkTo(new ConflictLogSink()).uid("conflict-log").name("Conflicts: log");
            return;
        }
        write(conflicts, config.conflicts(), new ConflictFormat(), "conflicts");
    }

    /** latency samples ---> sync_latency table / latency topic. */
    public void latency(DataStream<LatencySample> samples) {
        write(samples, config.latency(), new LatencyFormat(), "latency");
    }

    /**
     * applied changes ---> change topics (row changes of tables with a topic, exactly-once). Fed by
     * the merge, one subtask per key, so a row's changes reach its partition in order.
     */
    public void changes(DataStream<ChangeEvent> applied, List<SyncTable> tables) {
        ChangeMessages messages = new ChangeMessages(config.tables(), tables);
        if (!messages.any()) {
            return;
        }
        applied.filter(messages::publishes)
                .uid("changes-published")
                .name("Changes: published tables")
                .sinkTo(KafkaRecordSink.of(config.kafka(), messages, config.name() + "-changes"))
                .uid("changes-kafka")
                .name("Changes: Kafka " + messages.topics());
    }

    private <T> void write(
            DataStream<T> records, Destinations to, RecordFormat<T> format, String what) {
        if (to.table()) {
            records.sinkTo(new ControlTableSink<>(config.controlDatabase(), format))
                    .uid(what + "-table")
                    .name(capitalized(what) + ": " + format.table());
        }
        if (to.topic() != null) {
            records.sinkTo(
                            KafkaRecordSink.of(
                                    config.kafka(), to.topic(), format, config.name() + "-" + what))
                    .uid(what + "-kafka")
                    .name(capitalized(what) + ": Kafka " + to.topic());
        }
    }

    private static String capitalized(String what) {
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }
}

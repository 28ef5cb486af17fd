package io.shardsync.sink.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.config.TableConfig;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import io.shardsync.model.SyncTable;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.stream.IntStream;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The change topics' messages: each applied row change of a table with a topic ({@code
 * changes.topic}) to that topic, keyed by its primary key so one row's changes stay in order in one
 * partition, as a Debezium envelope ({@link ChangeEnvelope}).
 */
public final class ChangeMessages implements KafkaRecordSerializationSchema<ChangeEvent> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A published table and its topic. */
    private record Target(String topic, SyncTable table) implements Serializable {}

    /** By {@code database.table}; tables without a topic are absent. */
    private final Map<String, Target> targets = new HashMap<>();

    public ChangeMessages(List<TableConfig> configs, List<SyncTable> tables) {
        List<BiPredicate<String, String>> named =
                configs.stream().map(TableConfig::namedTables).toList();
        for (SyncTable table : tables) {
            IntStream.range(0, configs.size())
                    .filter(i -> named.get(i).test(table.database(), table.table()))
                    .mapToObj(configs::get)
                    .findFirst()
                    .map(c -> c.byPattern() ? c.named(table.database(), table.table()) : c)
                    .map(TableConfig::changesTopic)
                    .ifPresent(
                            topic -> targets.put(table.qualifiedName(), new Target(topic, table)));
        }
    }

    /** Whether the table's changes are published. */
    public boolean publishes(SyncTable table) {
        return targets.containsKey(table.qualifiedName());
    }

    /** Whether any table is published. */
    public boolean any() {
        return !targets.isEmpty();
    }

    /** The topics, sorted, as the web UI names the sink. */
    public String topics() {
        TreeSet<String> topics = new TreeSet<>();
        targets.values().forEach(t -> topics.add(t.topic()));
        return String.join(", ", topics);
    }

    /** A row change of a published table; schema changes (DDL) are not published. */
    public boolean publishes(ChangeEvent event) {
        return event.op != Op.DDL && targets.containsKey(event.qualifiedTable());
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            ChangeEvent event, KafkaSinkContext context, Long timestamp) {
        Target target = targets.get(event.qualifiedTable());
        return new ProducerRecord<>(
                target.topic(),
                bytes(ChangeEnvelope.key(event, target.table())),
                bytes(ChangeEnvelope.value(event, target.table())));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a change message", e);
        }
    }
}

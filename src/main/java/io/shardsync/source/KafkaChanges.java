package io.shardsync.source;

import io.shardsync.config.KafkaSourceConfig;
import java.util.regex.Pattern;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds the Flink Kafka source of one kafka source: its messages as they are, with their topic,
 * partition and offset, for {@link ParseKafkaMessages}. The offsets live in the job's checkpoints
 * (committed to the consumer group only as a courtesy, for lag monitoring and {@code
 * startingOffsets: committed}), so with the shard sinks' two-phase commits every message is applied
 * exactly once across restarts.
 */
public final class KafkaChanges {
    private KafkaChanges() {}

    public static KafkaSource<KafkaMessage> source(KafkaSourceConfig config) {
        KafkaSourceBuilder<KafkaMessage> builder =
                KafkaSource.<KafkaMessage>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setGroupId(config.groupId())
                        .setStartingOffsets(startingOffsets(config.startingOffsets()))
                        .setDeserializer(new Messages())
                        // a transactional producer's aborted messages (a change topic's, after a
                        // failure of the job writing it) are never changes
                        .setProperty("isolation.level", "read_committed");
        if (config.topicPattern() != null) {
            builder.setTopicPattern(Pattern.compile(config.topicPattern()));
        } else {
            builder.setTopics(config.topics());
        }
        return builder.build();
    }

    private static OffsetsInitializer startingOffsets(KafkaSourceConfig.StartingOffsets offsets) {
        return switch (offsets) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    /**
     * Each record's value bytes and place; tombstones (null values, after Debezium's deletes) carry
     * no change.
     */
    static final class Messages implements KafkaRecordDeserializationSchema<KafkaMessage> {
        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<KafkaMessage> out) {
            if (record.value() != null) {
                out.collect(
                        new KafkaMessage(
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                record.value()));
            }
        }

        @Override
        public TypeInformation<KafkaMessage> getProducedType() {
            return TypeInformation.of(KafkaMessage.class);
        }
    }
}

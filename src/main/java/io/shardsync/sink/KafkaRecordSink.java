package io.shardsync.sink;

import io.shardsync.config.KafkaConfig;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Side-output records to a Kafka topic as JSON objects, exactly-once: Kafka transactions commit
 * with the checkpoints, so consumers reading {@code read_committed} see each record once.
 */
public final class KafkaRecordSink {
    private KafkaRecordSink() {}

    public static <T> KafkaSink<T> of(
            KafkaConfig kafka, String topic, RecordFormat<T> format, String transactionalIdPrefix) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(new JsonSerializer<>(topic, format))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setProperty(
                        "transaction.timeout.ms",
                        String.valueOf(kafka.transactionTimeout().toMillis()))
                .build();
    }

    /** One record: the format's key and its JSON object. */
    private record JsonSerializer<T>(String topic, RecordFormat<T> format)
            implements KafkaRecordSerializationSchema<T> {
        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                T record, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(
                    topic,
                    format.key(record).getBytes(StandardCharsets.UTF_8),
                    RecordJson.object(format, record));
        }
    }
}

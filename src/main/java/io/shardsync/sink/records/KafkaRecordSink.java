package io.shardsync.sink.records;

import io.shardsync.config.KafkaConfig;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records to Kafka, exactly-once: Kafka transactions commit with the checkpoints, so consumers
 * reading {@code read_committed} see each record once. Side-output records go to one topic as JSON
 * objects; other messages (the change topics) bring their own serializer.
 */
public final class KafkaRecordSink {
    private KafkaRecordSink() {}

    public static <T> KafkaSink<T> of(
            KafkaConfig kafka, String topic, RecordFormat<T> format, String transactionalIdPrefix) {
        return of(kafka, new JsonSerializer<>(topic, format), transactionalIdPrefix);
    }

    /**
     * A sink of the serializer's messages. The transactional id prefix must be unique per Kafka
     * cluster: a restored writer aborts the transactions it left open under it.
     */
    public static <T> KafkaSink<T> of(
            KafkaConfig kafka,
            KafkaRecordSerializationSchema<T> serializer,
            String transactionalIdPrefix) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                // Records are invisible to read_committed consumers until the checkpoint commits,
                // so waiting 50 ms to fill batches costs no latency; it cut the change topic's JVM
                // CPU from 107-117 to 88-99 us per change (BENCHMARKS.md).
                .setProperty("linger.ms", "50")
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

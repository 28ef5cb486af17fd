package io.shardsync.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real single-node Kafka broker of scripts/local-kafka.sh, started once per test JVM. */
public final class LocalKafka {
    public static final String BOOTSTRAP = "127.0.0.1:9092";
    private static boolean started;

    private LocalKafka() {}

    public static synchronized void start() throws IOException, InterruptedException {
        if (started) {
            return;
        }
        Process process =
                new ProcessBuilder("bash", "scripts/local-kafka.sh", "start").inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("scripts/local-kafka.sh start failed");
        }
        started = true;
    }

    /** Creates a topic with this many partitions (auto-created topics have one). */
    public static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /**
     * Writes the messages (no key) in their order, message i to partition {@code i % partitions}:
     * spread by position, not by row, so one row's changes arrive in any order.
     */
    public static void produceRoundRobin(String topic, List<String> messages, int partitions)
            throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", BOOTSTRAP);
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < messages.size(); i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, messages.get(i)));
            }
            producer.flush();
        }
    }

    /** Config lines of a job that writes to this broker. */
    public static String config() {
        return "kafka:\n  bootstrapServers: " + BOOTSTRAP + "\n  transactionTimeout: 5m\n";
    }

    /**
     * Every committed message of a topic (read_committed), read until none has arrived for {@code
     * quietMs}.
     */
    public static List<String> readCommitted(String topic, long quietMs) {
        return readCommittedRecords(topic, quietMs).stream().map(ConsumerRecord::value).toList();
    }

    /** The same, as records with their keys and partitions, in each partition's order. */
    public static List<ConsumerRecord<String, String>> readCommittedRecords(
            String topic, long quietMs) {
        Properties props = new Properties();
        props.put("bootstrap.servers", BOOTSTRAP);
        props.put("group.id", "test-" + UUID.randomUUID());
        props.put("isolation.level", "read_committed");
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> messages = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long lastMessageAt = System.currentTimeMillis();
            while (System.currentTimeMillis() - lastMessageAt < quietMs) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    messages.add(record);
                    lastMessageAt = System.currentTimeMillis();
                }
            }
        }
        return messages;
    }
}

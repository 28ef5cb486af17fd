package io.shardsync.source;

/**
 * A message read from a kafka source's topic: its value as it was written and where it was, so a
 * message that does not parse can be named in its conflict record. A Flink POJO.
 */
public class KafkaMessage {
    public String topic;
    public int partition;
    public long offset;
    public byte[] value;

    public KafkaMessage() {}

    public KafkaMessage(String topic, int partition, long offset, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.value = value;
    }

    /** Where the message is, as conflict records and the log name it: {@code topic/2@1234}. */
    public String where() {
        return topic + "/" + partition + "@" + offset;
    }
}

package io.shardsync.config;

import java.io.Serializable;
import java.util.List;

/**
 * A source of kind {@code kafka}: change messages (Debezium or Canal JSON) read from {@code topics}
 * or the topics matching {@code topicPattern}, their offsets in the job's state. {@code
 * schemaFrom}, when given, is the MySQL server the tables' definitions are read from (only its
 * connection fields); null when the job has a {@code mysql} source that defines them.
 */
public record KafkaSourceConfig(
        String id,
        String bootstrapServers,
        List<String> topics,
        String topicPattern,
        String groupId,
        Format format,
        StartingOffsets startingOffsets,
        SourceConfig schemaFrom)
        implements Serializable {

    /** The message format of the topics. */
    public enum Format implements ConfigName {
        DEBEZIUM_JSON("debezium-json"),
        CANAL_JSON("canal-json");

        private final String configName;

        Format(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /** Where a source without restored offsets starts reading. */
    public enum StartingOffsets implements ConfigName {
        EARLIEST,
        LATEST,
        /** The consumer group's committed offsets; earliest for partitions it has none of. */
        COMMITTED;

        @Override
        public String configName() {
            return name().toLowerCase();
        }
    }
}

package io.shardsync.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a {@code kind: kafka} entry of {@code sources} (README "Kafka": sources). */
final class KafkaSources {
    private KafkaSources() {}

    /**
     * {@code schemaFromRequired}: the job has no {@code mysql} source, so nothing else defines the
     * tables' columns.
     */
    static KafkaSourceConfig parse(ConfigNode node, String id, boolean schemaFromRequired) {
        node.allowOnly(
                "id",
                "kind",
                "bootstrapServers",
                "topics",
                "topicPattern",
                "groupId",
                "format",
                "startingOffsets",
                "schemaFrom");
        ConfigNode topicsNode = node.optional("topics");
        ConfigNode patternNode = node.optional("topicPattern");
        if (topicsNode.present() == patternNode.present()) {
            throw node.error("give exactly one of 'topics' (a list) or 'topicPattern' (a regex)");
        }
        List<String> topics = new ArrayList<>();
        for (ConfigNode topic : topicsNode.elements()) {
            String name = topic.json().asText();
            if (!topic.json().isTextual() || !ChangeTopics.TOPIC_NAME.matcher(name).matches()) {
                throw topic.error(
                        "not a Kafka topic name (letters, digits, '.', '_' and '-', at most 249)");
            }
            topics.add(name);
        }
        if (topicsNode.present() && topics.isEmpty()) {
            throw topicsNode.error("at least one topic is needed");
        }
        String pattern = node.text("topicPattern", null);
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw patternNode.error("not a regular expression: " + e.getDescription());
            }
        }
        ConfigNode schemaFromNode = node.optional("schemaFrom");
        if (schemaFromRequired && !schemaFromNode.present()) {
            throw new ConfigException(
                    schemaFromNode.path(),
                    "required key is missing: without a mysql source the tables' definitions are"
                            + " read from this MySQL server");
        }
        node.required("format");
        return new KafkaSourceConfig(
                id,
                node.requiredText("bootstrapServers"),
                List.copyOf(topics),
                pattern,
                node.requiredText("groupId"),
                node.enumValue("format", KafkaSourceConfig.Format.values(), null),
                node.enumValue(
                        "startingOffsets",
                        KafkaSourceConfig.StartingOffsets.values(),
                        Defaults.STARTING_OFFSETS),
                schemaFromNode.present() ? schemaServer(schemaFromNode, id) : null);
    }

    /**
     * A MySQL server that only defines the tables ({@code schemaFrom} of a kafka source): its
     * connection fields, no binlog reading.
     */
    private static SourceConfig schemaServer(ConfigNode node, String id) {
        node.allowOnly("host", "port", "user", "password", "serverTimeZone");
        return new SourceConfig(
                id,
                node.requiredText("host"),
                node.intValue("port", 3306, 1, 65535),
                node.requiredText("user"),
                ConfigLoader.secret(node.required("password")),
                0,
                0,
                node.text("serverTimeZone", Defaults.SERVER_TIME_ZONE),
                Defaults.SPLIT_SIZE,
                Defaults.SNAPSHOT_STALL_TIMEOUT,
                null);
    }
}

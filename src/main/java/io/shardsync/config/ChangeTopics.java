package io.shardsync.config;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The change topic of each table (README "Kafka"): the job's {@code changes.topic} template, which
 * a table's {@code changes.topic} replaces and its {@code changes.publish: false} turns off.
 * Templates name {@code {database}} and {@code {table}}; each resolved name is checked against
 * Kafka's topic name rules here, before any connection.
 */
final class ChangeTopics {
    private static final Map<String, Object> PLACEHOLDERS =
            NameTemplate.samples(Set.of("database", "table"), Set.of());
    static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final ConfigNode jobTemplate;
    private final boolean kafka;

    private ChangeTopics(ConfigNode jobTemplate, boolean kafka) {
        this.jobTemplate = jobTemplate;
        this.kafka = kafka;
    }

    /** The job's {@code changes:} section. */
    static ChangeTopics parse(ConfigNode changes, KafkaConfig kafka) {
        changes.allowOnly("topic");
        ChangeTopics topics = new ChangeTopics(changes.at("topic"), kafka != null);
        topics.checked(topics.jobTemplate);
        return topics;
    }

    /** The topic of one table ({@code tables[i]}), null when its changes are not published. */
    String of(ConfigNode table, String database, String name) {
        ConfigNode template = template(table);
        if (template == null) {
            return null;
        }
        String topic = resolve(template.json().asText(), database, name);
        if (!isTopicName(topic)) {
            throw template.error(notATopic(topic, database, name));
        }
        return topic;
    }

    /**
     * The topic template of a table entry that names tables by pattern, resolved for each table it
     * matches ({@link #resolved}); null when its changes are not published.
     */
    String patternTemplate(ConfigNode table) {
        ConfigNode template = template(table);
        return template == null ? null : template.json().asText();
    }

    private ConfigNode template(ConfigNode table) {
        ConfigNode own = table.optional("changes");
        own.allowOnly("topic", "publish");
        ConfigNode ownTemplate = checked(own.at("topic"));
        if (!own.bool("publish", true)) {
            if (ownTemplate.present()) {
                throw own.at("publish")
                        .error("false, yet " + ownTemplate.path() + " names a topic");
            }
            return null;
        }
        ConfigNode template = ownTemplate.present() ? ownTemplate : jobTemplate;
        if (!template.present()) {
            if (own.at("publish").present()) {
                throw own.at("publish")
                        .error("needs a topic: changes.topic or " + ownTemplate.path());
            }
            return null;
        }
        return template;
    }

    /**
     * A checked template's topic for one table.
     *
     * @throws IllegalArgumentException when the name it gives is no Kafka topic name
     */
    static String resolved(String template, String database, String table) {
        String name = resolve(template, database, table);
        if (!isTopicName(name)) {
            throw new IllegalArgumentException(notATopic(name, database, table));
        }
        return name;
    }

    private static boolean isTopicName(String topic) {
        return TOPIC_NAME.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..");
    }

    private static String notATopic(String topic, String database, String table) {
        return "resolves to '"
                + topic
                + "' for "
                + database
                + "."
                + table
                + ", not a Kafka topic name (letters, digits, '.', '_' and '-', at most 249)";
    }

    /** A template key, checked for its text, its placeholders and a kafka section. */
    private ConfigNode checked(ConfigNode template) {
        if (!template.present()) {
            return template;
        }
        if (!template.json().isTextual() || template.json().asText().isBlank()) {
            throw template.error("expected a non-empty text");
        }
        if (!kafka) {
            throw template.error("needs a kafka section");
        }
        NameTemplate.parse(template, null, PLACEHOLDERS);
        return template;
    }

    private static String resolve(String template, String database, String table) {
        return new NameTemplate(template).resolve(Map.of("database", database, "table", table));
    }
}

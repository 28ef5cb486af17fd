package io.shardsync.config;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A name with placeholders, such as {@code {table}_{index:02}}: {@code {name}} is replaced by its
 * value, and {@code {name:0N}} by a number padded with zeros to N digits. Which placeholders a
 * template may name is checked when the config is read.
 */
public record NameTemplate(String text) implements Serializable {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern PADDED = Pattern.compile("([a-z]+):0([1-9])");

    /** The template that is just one placeholder's value, e.g. {@code {table}}. */
    public static NameTemplate of(String placeholder) {
        return new NameTemplate("{" + placeholder + "}");
    }

    /**
     * The name for these values (texts, or integers for padded placeholders).
     *
     * @throws IllegalArgumentException for a placeholder without a value or a padded text
     */
    public String resolve(Map<String, ?> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder name = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(name, Matcher.quoteReplacement(value(m.group(1), values)));
        }
        return m.appendTail(name).toString();
    }

    private static String value(String placeholder, Map<String, ?> values) {
        Matcher padded = PADDED.matcher(placeholder);
        String name = nameOf(placeholder);
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "unknown placeholder {"
                            + placeholder
                            + "} (allowed: "
                            + String.join(
                                    ", ",
                                    values.keySet().stream()
                                            .sorted()
                                            .map(n -> "{" + n + "}")
                                            .toList())
                            + ")");
        }
        if (!padded.matches()) {
            return value.toString();
        }
        if (!(value instanceof Integer number)) {
            throw new IllegalArgumentException(
                    "{" + placeholder + "}: only a number is padded, {" + name + "} is a name");
        }
        return String.format("%0" + padded.group(2) + "d", number);
    }

    /**
     * A template key of the config, checked by resolving it with sample values of the placeholders
     * it may name; {@code fallback} when the key is absent.
     */
    static NameTemplate parse(ConfigNode node, NameTemplate fallback, Map<String, ?> samples) {
        if (!node.present()) {
            return fallback;
        }
        if (!node.json().isTextual() || node.json().asText().isBlank()) {
            throw node.error("expected a non-empty text");
        }
        NameTemplate template = new NameTemplate(node.json().asText());
        try {
            template.resolve(samples);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
        return template;
    }

    /** Whether the template names the placeholder (padded or not). */
    public boolean names(String placeholder) {
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (nameOf(m.group(1)).equals(placeholder)) {
                return true;
            }
        }
        return false;
    }

    /** The name a placeholder's text names: {@code index} of {@code index:02}. */
    private static String nameOf(String placeholder) {
        Matcher padded = PADDED.matcher(placeholder);
        return padded.matches() ? padded.group(1) : placeholder;
    }

    /**
     * The placeholders' sample values for checking: each name is a text, each of these a number.
     */
    static Map<String, Object> samples(Set<String> names, Set<String> numbers) {
        Map<String, Object> samples = new TreeMap<>();
        names.forEach(n -> samples.put(n, n));
        numbers.forEach(n -> samples.put(n, 0));
        return samples;
    }
}

package io.shardsync.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A YAML node of the job config with its key path, so every error can name where it is. */
record ConfigNode(String path, JsonNode json) {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_$]+");

    ConfigException error(String problem) {
        String value = json == null || json.isMissingNode() ? "" : " (got '" + json + "')";
        return new ConfigException(path.isEmpty() ? "(root)" : path, problem + value);
    }

    ConfigNode at(String key) {
        String child = path.isEmpty() ? key : path + "." + key;
        return new ConfigNode(child, json == null ? null : json.get(key));
    }

    boolean present() {
        return json != null && !json.isNull() && !json.isMissingNode();
    }

    ConfigNode required(String key) {
        ConfigNode child = at(key);
        if (!child.present()) {
            throw new ConfigException(child.path, "required key is missing");
        }
        return child;
    }

    ConfigNode optional(String key) {
        return at(key);
    }

    void allowOnly(String... keys) {
        if (!present()) {
            return;
        }
        if (!json.isObject()) {
            throw error("expected a mapping");
        }
        List<String> allowed = Arrays.asList(keys);
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new ConfigException(
                        at(key).path, "unknown key (allowed: " + String.join(", ", keys) + ")");
            }
        }
    }

    List<ConfigNode> elements() {
        if (!present()) {
            return List.of();
        }
        if (!json.isArray()) {
            throw error("expected a list");
        }
        List<ConfigNode> nodes = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            nodes.add(new ConfigNode(path + "[" + i + "]", json.get(i)));
        }
        return nodes;
    }

    /** A mapping's entries in their order, each with its key path. */
    Map<String, ConfigNode> fields() {
        if (!json.isObject()) {
            throw error("expected a mapping");
        }
        Map<String, ConfigNode> fields = new LinkedHashMap<>();
        json.fieldNames().forEachRemaining(key -> fields.put(key, at(key)));
        return fields;
    }

    /** This node as the index of one of {@code count} shards (or tables: {@code what}). */
    int index(int count, String what) {
        if (!json.canConvertToInt() || !json.isIntegralNumber()) {
            throw error("expected a " + what + " index");
        }
        int index = json.asInt();
        if (index < 0 || index >= count) {
            throw error("expected a " + what + " index in [0, " + (count - 1) + "]");
        }
        return index;
    }

    String text(String key, String fallback) {
        ConfigNode child = at(key);
        if (!child.present()) {
            return fallback;
        }
        if (!child.json.isValueNode() || child.json.asText().isBlank()) {
            throw child.error("expected a non-empty text");
        }
        return child.json.asText();
    }

    String requiredText(String key) {
        required(key);
        return text(key, null);
    }

    boolean bool(String key, boolean fallback) {
        ConfigNode child = at(key);
        if (!child.present()) {
            return fallback;
        }
        if (!child.json.isBoolean()) {
            throw child.error("expected true or false");
        }
        return child.json.asBoolean();
    }

    String identifier() {
        String value = json.asText();
        if (!json.isTextual() || !IDENTIFIER.matcher(value).matches()) {
            throw error("expected a MySQL identifier (letters, digits, _ and $)");
        }
        return value;
    }

    String identifier(String key) {
        ConfigNode child = at(key);
        return child.present() ? child.identifier() : null;
    }

    String requiredIdentifier(String key) {
        return required(key).identifier();
    }

    int intValue(String key, int fallback, int min, int max) {
        ConfigNode child = at(key);
        if (!child.present()) {
            return fallback;
        }
        if (!child.json.canConvertToInt() || !child.json.isIntegralNumber()) {
            throw child.error("expected an integer");
        }
        int value = child.json.asInt();
        if (value < min || value > max) {
            throw child.error("expected an integer in [" + min + ", " + max + "]");
        }
        return value;
    }

    Duration duration(String key, Duration fallback) {
        ConfigNode child = at(key);
        if (!child.present()) {
            return fallback;
        }
        Duration value = parseDuration(child.json.asText());
        if (value == null || value.isZero()) {
            throw child.error("expected a positive duration like 500ms, 5s, 2m, 1h or 7d");
        }
        return value;
    }

    <E extends Enum<E> & ConfigName> E enumValue(String key, E[] values, E fallback) {
        ConfigNode child = at(key);
        return child.present() ? child.enumValue(values) : fallback;
    }

    /** This node as one of the values, by config name. */
    <E extends Enum<E> & ConfigName> E enumValue(E[] values) {
        List<String> names = new ArrayList<>();
        for (E value : values) {
            String name = value.configName();
            if (name.equals(json.asText())) {
                return value;
            }
            names.add(name);
        }
        throw error("expected one of " + String.join(", ", names));
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}

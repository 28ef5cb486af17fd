package io.shardsync.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads a rule that spreads rows over {@code count} shards (a table's {@code shardRule}) or over
 * the tables of a shard ({@code tableSharding.rule}), with its {@code ranges} (range) or {@code
 * values} and {@code default} (map). Whether the boundaries and values fit the key's column type is
 * checked once the column is known ({@code source.SchemaLoader}).
 */
final class ShardRules {
    private ShardRules() {}

    /** Where a rule is in the config and what it spreads rows over. */
    record Keys(String rule, String what, String plural) {}

    static final Keys SHARDS = new Keys("shardRule", "shard", "shards");
    static final Keys TABLES = new Keys("rule", "table", "tables");

    /**
     * The rule of {@code node} (a table entry or its {@code tableSharding}) whose rows have a key
     * column ({@code keyed}; {@code keyPath} names where it would be).
     */
    static ShardRule parse(ConfigNode node, Keys keys, int count, boolean keyed, String keyPath) {
        ShardRule.Kind kind =
                node.enumValue(keys.rule, ShardRule.Kind.values(), Defaults.SHARD_RULE);
        boolean parameterized = kind == ShardRule.Kind.RANGE || kind == ShardRule.Kind.MAP;
        if (parameterized && !keyed) {
            throw node.at(keys.rule)
                    .error(
                            "needs a "
                                    + keyPath
                                    + " (without one every "
                                    + keys.what
                                    + " gets every row)");
        }
        onlyFor(node, keys, "ranges", kind, ShardRule.Kind.RANGE);
        onlyFor(node, keys, "values", kind, ShardRule.Kind.MAP);
        onlyFor(node, keys, "default", kind, ShardRule.Kind.MAP);
        return switch (kind) {
            case MOD, HASH -> ShardRule.of(kind);
            case RANGE -> new ShardRule(kind, ranges(node, keys, count), new TreeMap<>(), null);
            case MAP -> map(node, keys, count);
        };
    }

    private static void onlyFor(
            ConfigNode node, Keys keys, String key, ShardRule.Kind kind, ShardRule.Kind owner) {
        if (kind != owner && node.at(key).present()) {
            throw node.at(key)
                    .error(
                            "only for "
                                    + keys.rule
                                    + " '"
                                    + owner.configName()
                                    + "' (this one is '"
                                    + kind.configName()
                                    + "')");
        }
    }

    /**
     * N-1 strictly ascending boundaries for N shards or tables: all numbers (kept as plain digits,
     * compared as numbers) or all texts (dates, compared as text, which orders canonical dates).
     */
    private static List<String> ranges(ConfigNode node, Keys keys, int count) {
        ConfigNode ranges = node.required("ranges");
        List<ConfigNode> elements = ranges.elements();
        if (elements.size() != count - 1) {
            throw ranges.error(
                    "expected "
                            + (count - 1)
                            + (count == 2 ? " boundary" : " ascending boundaries")
                            + " for the "
                            + count
                            + " "
                            + keys.plural);
        }
        List<String> boundaries = new ArrayList<>();
        boolean numbers = !elements.isEmpty() && elements.get(0).json().isNumber();
        for (ConfigNode element : elements) {
            if (!element.json().isValueNode() || element.json().isBoolean()) {
                throw element.error("expected a number or a date");
            }
            if (element.json().isNumber() != numbers) {
                throw element.error("expected all boundaries numbers or all dates");
            }
            String boundary =
                    numbers
                            ? new BigDecimal(element.json().asText())
                                    .stripTrailingZeros()
                                    .toPlainString()
                            : element.json().asText();
            if (!boundaries.isEmpty()
                    && compare(boundaries.get(boundaries.size() - 1), boundary, numbers) >= 0) {
                throw element.error("not above the boundary before it");
            }
            boundaries.add(boundary);
        }
        return boundaries;
    }

    private static int compare(String a, String b, boolean numbers) {
        return numbers ? new BigDecimal(a).compareTo(new BigDecimal(b)) : a.compareTo(b);
    }

    private static ShardRule map(ConfigNode node, Keys keys, int count) {
        ConfigNode listed = node.required("values");
        TreeMap<String, Integer> values = new TreeMap<>();
        listed.fields().forEach((value, index) -> values.put(value, index.index(count, keys.what)));
        if (values.isEmpty()) {
            throw listed.error("expected at least one value: " + keys.what + " index");
        }
        ConfigNode fallback = node.at("default");
        Integer defaultIndex = fallback.present() ? fallback.index(count, keys.what) : null;
        return new ShardRule(ShardRule.Kind.MAP, List.of(), values, defaultIndex);
    }
}

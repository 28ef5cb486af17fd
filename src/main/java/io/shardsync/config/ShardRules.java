package io.shardsync.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads a table's {@code shardRule} with its {@code ranges} (range) or {@code values} and {@code
 * default} (map), checked against the number of shards. Whether the boundaries and values fit the
 * shard key's column type is checked once the column is known ({@code source.SchemaLoader}).
 */
final class ShardRules {
    private ShardRules() {}

    static ShardRule parse(ConfigNode table, int shardCount) {
        ShardRule.Kind kind =
                table.enumValue("shardRule", ShardRule.Kind.values(), Defaults.SHARD_RULE);
        boolean parameterized = kind == ShardRule.Kind.RANGE || kind == ShardRule.Kind.MAP;
        if (parameterized && !table.at("shardKey").present()) {
            throw table.at("shardRule")
                    .error("needs a shardKey (without one every shard gets every row)");
        }
        onlyFor(table, "ranges", kind, ShardRule.Kind.RANGE);
        onlyFor(table, "values", kind, ShardRule.Kind.MAP);
        onlyFor(table, "default", kind, ShardRule.Kind.MAP);
        return switch (kind) {
            case MOD, HASH -> ShardRule.of(kind);
            case RANGE -> new ShardRule(kind, ranges(table, shardCount), new TreeMap<>(), null);
            case MAP -> map(table, shardCount);
        };
    }

    private static void onlyFor(
            ConfigNode table, String key, ShardRule.Kind kind, ShardRule.Kind owner) {
        if (kind != owner && table.at(key).present()) {
            throw table.at(key)
                    .error(
                            "only for shardRule '"
                                    + owner.configName()
                                    + "' (this table's is '"
                                    + kind.configName()
                                    + "')");
        }
    }

    /**
     * N-1 strictly ascending boundaries for N shards: all numbers (kept as plain digits, compared
     * as numbers) or all texts (dates, compared as text, which orders canonical dates).
     */
    private static List<String> ranges(ConfigNode table, int shardCount) {
        ConfigNode node = table.required("ranges");
        List<ConfigNode> elements = node.elements();
        if (elements.size() != shardCount - 1) {
            int count = shardCount - 1;
            throw node.error(
                    "expected "
                            + count
                            + (count == 1 ? " boundary" : " ascending boundaries")
                            + " for the "
                            + shardCount
                            + " shards");
        }
        List<String> ranges = new ArrayList<>();
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
            if (!ranges.isEmpty()
                    && compare(ranges.get(ranges.size() - 1), boundary, numbers) >= 0) {
                throw element.error("not above the boundary before it");
            }
            ranges.add(boundary);
        }
        return ranges;
    }

    private static int compare(String a, String b, boolean numbers) {
        return numbers ? new BigDecimal(a).compareTo(new BigDecimal(b)) : a.compareTo(b);
    }

    private static ShardRule map(ConfigNode table, int shardCount) {
        ConfigNode node = table.required("values");
        TreeMap<String, Integer> values = new TreeMap<>();
        node.fields().forEach((value, shard) -> values.put(value, shard.shardIndex(shardCount)));
        if (values.isEmpty()) {
            throw node.error("expected at least one value: shard index");
        }
        ConfigNode fallback = table.at("default");
        Integer defaultShard = fallback.present() ? fallback.shardIndex(shardCount) : null;
        return new ShardRule(ShardRule.Kind.MAP, List.of(), values, defaultShard);
    }
}

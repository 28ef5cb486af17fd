package io.shardsync.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How a shard key value picks a shard: {@code kind} and, for {@code range}, its ascending
 * boundaries (shard i holds [b(i-1), b(i)); numbers as plain digits, dates as their canonical text)
 * or, for {@code map}, each value's shard and the shard of unlisted values ({@code defaultShard},
 * null: such a row is rejected). A NULL shard key goes to shard 0 under every rule.
 */
public record ShardRule(
        Kind kind, List<String> ranges, SortedMap<String, Integer> values, Integer defaultShard)
        implements Serializable {
    public static final ShardRule MOD = of(Kind.MOD);
    public static final ShardRule HASH = of(Kind.HASH);

    /** The rules by config name. */
    public enum Kind implements ConfigName {
        /** Integer value mod shard count (never negative). */
        MOD("mod"),
        /** CRC32 of the value's text mod shard count; the same as SQL {@code CRC32(col) % n}. */
        HASH("hash"),
        /** The shard whose range holds the value, compared as numbers or as canonical date text. */
        RANGE("range"),
        /** The shard listed for the value (compared as the column's collation does). */
        MAP("map");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    public ShardRule {
        ranges = List.copyOf(ranges);
        values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    public static ShardRule of(Kind kind) {
        return new ShardRule(kind, List.of(), new TreeMap<>(), null);
    }

    /**
     * Whether the rule spreads rows over exactly {@code count} shards (or tables): mod and hash
     * over any count, range over one more than its boundaries, map over at least one more than its
     * greatest index.
     */
    public boolean placesOn(int count) {
        return switch (kind) {
            case MOD, HASH -> true;
            case RANGE -> ranges.size() + 1 == count;
            case MAP ->
                    values.values().stream().allMatch(i -> i < count)
                            && (defaultShard == null || defaultShard < count);
        };
    }

    /** Whether every value has a shard: all but a map rule without a default. */
    public boolean placesEveryValue() {
        return kind != Kind.MAP || defaultShard != null;
    }

    /** The rule with its parameters, as the state fingerprint records it. */
    public String describe() {
        return switch (kind) {
            case MOD, HASH -> kind.configName();
            case RANGE -> "range " + ranges;
            case MAP -> "map " + values + (defaultShard == null ? "" : " default " + defaultShard);
        };
    }
}

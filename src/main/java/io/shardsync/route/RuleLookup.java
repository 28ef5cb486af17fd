package io.shardsync.route;

import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A range or map rule prepared once for its shard key column, so a change costs one parse of its
 * value and a binary search or a hash lookup. Numbers are compared as numbers (DECIMAL {@code
 * 10.50} is the map key {@code 10.5}); dates as their canonical text, which sorts as they do; text
 * as the column's collation compares it ({@link io.shardsync.model.KeyText}), as the SQL {@code
 * CASE col WHEN ...} of verify does.
 */
final class RuleLookup {
    private final Comparable<?>[] bounds;
    private final Map<String, Integer> values = new HashMap<>();
    private final Integer defaultShard;
    private final UnaryOperator<String> form;
    private final boolean numbers;

    RuleLookup(ShardRule rule, Column key) {
        this.numbers = key.isExactNumber();
        this.form = numbers ? RuleLookup::number : key.keyText()::canonical;
        this.bounds = rule.ranges().stream().map(this::comparable).toArray(Comparable<?>[]::new);
        rule.values().forEach((value, shard) -> values.put(form.apply(value), shard));
        this.defaultShard = rule.defaultShard();
    }

    /** The shard of a value under a range rule: the number of boundaries at or below it. */
    int range(String value) {
        int at = Arrays.binarySearch(bounds, comparable(value));
        return at >= 0 ? at + 1 : -at - 1;
    }

    /** The shard of a value under a map rule; {@link ShardRouter#NO_SHARD} when it has none. */
    int map(String value) {
        Integer shard = values.getOrDefault(form.apply(value), defaultShard);
        return shard == null ? ShardRouter.NO_SHARD : shard;
    }

    private Comparable<?> comparable(String value) {
        return numbers ? new BigDecimal(value) : value;
    }

    private static String number(String text) {
        return new BigDecimal(text).stripTrailingZeros().toPlainString();
    }
}

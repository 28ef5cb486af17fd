package io.shardsync.config;

import java.io.Serializable;

/**
 * Several tables per shard server (分表): a row's table among {@code count} is picked by {@code rule}
 * over column {@code key}, and is named on the shard by {@code name} ({@code {table}} is the target
 * table's name, {@code {index}} the table's index).
 */
public record TableSharding(int count, String key, ShardRule rule, NameTemplate name)
        implements Serializable {

    /** The tables and their rule, as the state fingerprint records them. */
    public String describe() {
        return count + " tables " + name.text() + " by " + key + " " + rule.describe();
    }
}

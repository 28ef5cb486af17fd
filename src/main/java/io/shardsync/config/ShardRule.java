package io.shardsync.config;

/** How a shard key value picks a shard. */
public enum ShardRule implements ConfigName {
    /** Integer value mod shard count (never negative). */
    MOD("mod"),
    /** CRC32 of the value's text mod shard count; the same as SQL {@code CRC32(col) % n}. */
    HASH("hash");

    private final String configName;

    ShardRule(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}

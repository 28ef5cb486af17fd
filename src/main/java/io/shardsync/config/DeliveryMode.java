package io.shardsync.config;

/** How shard writes are made durable; see README "Delivery modes". */
public enum DeliveryMode implements ConfigName {
    /** Changes become visible on a shard only when the checkpoint that holds them completes. */
    EXACTLY_ONCE("exactly-once"),
    /** Changes are written at once with a version guard; replays after a restore converge. */
    IDEMPOTENT("idempotent");

    private final String configName;

    DeliveryMode(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}

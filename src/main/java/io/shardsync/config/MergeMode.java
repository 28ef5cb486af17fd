package io.shardsync.config;

/** When the merge applies a row's changes (README "How it works"). */
public enum MergeMode implements ConfigName {
    /** Apply a newer version at once; older ones that arrive later are stale. Lowest latency. */
    LATEST_WINS("latest-wins"),
    /** Hold changes until the watermark passes, then apply every version in version order. */
    ORDERED("ordered");

    private final String configName;

    MergeMode(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}

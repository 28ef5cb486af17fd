package io.shardsync.config;

/**
 * What the job does when a synced table's columns or keys change at the source (README "Schema
 * changes"). A change the job cannot follow safely (the primary key, shard key or version column)
 * stops it in every policy.
 */
public enum SchemaChangePolicy implements ConfigName {
    /**
     * Apply the statement to every shard at its place in the stream, and write the changes after it
     * with the table's new columns.
     */
    EVOLVE("evolve"),
    /** Stop the job once, at the statement, with a message that says what to do. */
    FAIL("fail"),
    /**
     * Go on writing the columns the job was started with: the statement is reported ({@code
     * SCHEMA_CHANGE_IGNORED}), and a change a shard cannot take is {@code TARGET_REJECTED}.
     */
    IGNORE("ignore");

    private final String configName;

    SchemaChangePolicy(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}

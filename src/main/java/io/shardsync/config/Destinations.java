package io.shardsync.config;

import java.io.Serializable;

/**
 * Where a side output's records go: a table on the control database and/or a Kafka topic (null:
 * none). Both are written exactly-once, with the checkpoints.
 */
public record Destinations(boolean table, String topic) implements Serializable {
    public boolean any() {
        return table || topic != null;
    }
}

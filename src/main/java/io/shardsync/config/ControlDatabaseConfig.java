package io.shardsync.config;

import java.io.Serializable;

/** The database that holds the job's sync_conflicts and sync_latency tables. */
public record ControlDatabaseConfig(String url, String user, Secret password, String database)
        implements Serializable {

    /** The server as a connection target (shard connections set the session the same way). */
    public ShardConfig server() {
        return new ShardConfig("control", url, user, password);
    }
}

package io.shardsync.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The database that holds the job's sync_conflicts and sync_latency tables, and how long their rows
 * are kept; {@code commitRetention} (the sink's) bounds how long sync_commits remembers a batch.
 */
public record ControlDatabaseConfig(
        String url,
        String user,
        Secret password,
        String database,
        Duration conflictRetention,
        Duration latencyRetention,
        Duration commitRetention)
        implements Serializable {

    /** The server as a connection target (shard connections set the session the same way). */
    public ShardConfig server() {
        return new ShardConfig("control", url, user, password);
    }
}

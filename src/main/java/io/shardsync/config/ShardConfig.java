package io.shardsync.config;

import java.io.Serializable;

/** One target shard: a MySQL/MariaDB server reached by JDBC. */
public record ShardConfig(String name, String url, String user, Secret password)
        implements Serializable {}

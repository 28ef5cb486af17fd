package io.shardsync.config;

import java.io.Serializable;
import java.time.Duration;

/** Batching of shard writes and how long the idempotency records are kept on the shards. */
public record SinkConfig(int batchSize, Duration flushInterval, Duration commitRetention)
        implements Serializable {}

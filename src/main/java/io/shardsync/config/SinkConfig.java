package io.shardsync.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Batching of shard writes, how long the idempotency records are kept on the shards, and after how
 * long an unreachable shard is reported (writes are retried until it returns).
 */
public record SinkConfig(
        int batchSize, Duration flushInterval, Duration commitRetention, Duration unreachableAfter)
        implements Serializable {}

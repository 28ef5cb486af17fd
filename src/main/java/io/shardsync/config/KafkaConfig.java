package io.shardsync.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The Kafka cluster of the side-output topics. Transactions of the exactly-once producers must not
 * time out before a checkpoint completes, and may not exceed the broker's
 * transaction.max.timeout.ms.
 */
public record KafkaConfig(String bootstrapServers, Duration transactionTimeout)
        implements Serializable {}

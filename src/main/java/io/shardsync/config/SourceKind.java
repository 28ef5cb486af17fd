package io.shardsync.config;

/** What a source reads: a MySQL server's binlog, or change messages from Kafka topics. */
enum SourceKind implements ConfigName {
    MYSQL,
    KAFKA;

    @Override
    public String configName() {
        return name().toLowerCase();
    }
}

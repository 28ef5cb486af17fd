package io.shardsync.source;

import io.shardsync.config.SourceConfig;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.SyncTable;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;

/** Builds the Flink CDC source of one MySQL server: lock-free snapshot, then the binlog. */
public final class ChangeSources {
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    /**
     * How long Debezium's reader sleeps when it finds its queue empty. Its default, 500 ms, is paid
     * at least once per snapshot chunk (the chunk's rows are not queued yet when the reader first
     * looks) and by a binlog change that arrives while the reader sleeps: it held the snapshot to
     * 11k rows/s (64k with 10 ms) and added up to half a second to every change's latency.
     */
    public static final Duration READER_POLL = Duration.ofMillis(10);

    private ChangeSources() {}

    /**
     * The source of one server; its password is read where the source runs, not here. {@code
     * mergeKeyGroups}: the maximum parallelism of the merge its changes go to; {@code
     * beforeImages}: which updates it reads without their before image.
     */
    public static Source<ChangeEvent, ?, ?> mysql(
            SourceConfig source,
            List<SyncTable> tables,
            int mergeKeyGroups,
            BeforeImages beforeImages) {
        return new DeferredMySqlSource(source, tables, mergeKeyGroups, beforeImages);
    }

    /** The Flink CDC source itself, password included: never to be serialized. */
    static MySqlSource<ChangeEvent> build(
            SourceConfig source,
            List<SyncTable> tables,
            int mergeKeyGroups,
            BeforeImages beforeImages) {
        Properties debezium = new Properties();
        // Exact values: DECIMAL as BigDecimal, BIGINT UNSIGNED without overflow.
        debezium.setProperty("decimal.handling.mode", "precise");
        debezium.setProperty("bigint.unsigned.handling.mode", "precise");
        debezium.setProperty("poll.interval.ms", String.valueOf(READER_POLL.toMillis()));
        return MySqlSource.<ChangeEvent>builder()
                .hostname(source.host())
                .port(source.port())
                .username(source.user())
                .password(source.password().resolve())
                .databaseList(
                        tables.stream().map(SyncTable::database).distinct().toArray(String[]::new))
                .tableList(
                        tables.stream()
                                .flatMap(
                                        t ->
                                                Stream.of(
                                                        t.qualifiedName(),
                                                        // an online schema change's shadow table:
                                                        // its definition becomes the table's at
                                                        // the cut-over (its rows are not synced)
                                                        t.database()
                                                                + "._"
                                                                + t.table()
                                                                + "_(new|gho)"))
                                .toArray(String[]::new))
                .serverId(source.serverIdRange())
                .serverTimeZone(source.serverTimeZone())
                .splitSize(source.splitSize())
                .heartbeatInterval(HEARTBEAT)
                .scanNewlyAddedTableEnabled(true)
                // DDL reaches the deserializer, which passes it on, stops or reports
                // (schemaChanges); statements on an online schema change's shadow table (_t_new,
                // _t_gho) come as statements on the table itself
                .includeSchemaChanges(true)
                .parseOnLineSchemaChanges(true)
                .startupOptions(
                        source.startAt() == null
                                ? StartupOptions.initial()
                                : StartupOptions.specificOffset(
                                        source.startAt().file(), source.startAt().position()))
                .debeziumProperties(debezium)
                .deserializer(
                        new ChangeEventDeserializer(
                                source.id(), tables, mergeKeyGroups, beforeImages))
                .build();
    }
}

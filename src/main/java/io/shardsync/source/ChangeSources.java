package io.shardsync.source;

import io.shardsync.config.SourceConfig;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.SyncTable;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;

/** Builds the Flink CDC source of one MySQL server: lock-free snapshot, then the binlog. */
public final class ChangeSources {
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private ChangeSources() {}

    public static MySqlSource<ChangeEvent> mysql(SourceConfig source, List<SyncTable> tables) {
        Properties debezium = new Properties();
        // Exact values: DECIMAL as BigDecimal, BIGINT UNSIGNED without overflow.
        debezium.setProperty("decimal.handling.mode", "precise");
        debezium.setProperty("bigint.unsigned.handling.mode", "precise");
        return MySqlSource.<ChangeEvent>builder()
                .hostname(source.host())
                .port(source.port())
                .username(source.user())
                .password(source.password().resolve())
                .databaseList(
                        tables.stream().map(SyncTable::database).distinct().toArray(String[]::new))
                .tableList(tables.stream().map(SyncTable::qualifiedName).toArray(String[]::new))
                .serverId(source.serverIdRange())
                .serverTimeZone(source.serverTimeZone())
                .splitSize(source.splitSize())
                .heartbeatInterval(HEARTBEAT)
                .scanNewlyAddedTableEnabled(true)
                .startupOptions(StartupOptions.initial())
                .debeziumProperties(debezium)
                .deserializer(new ChangeEventDeserializer(source.id(), tables))
                .build();
    }
}

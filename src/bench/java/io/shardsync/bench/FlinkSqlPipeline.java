package io.shardsync.bench;

import io.shardsync.CommandLine;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.SourceConfig;
import io.shardsync.source.ChangeSources;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The pipeline a user would write instead of ShardSync, for the benchmark: a Flink SQL {@code
 * mysql-cdc} source table and one {@code jdbc} upsert sink table per shard, each fed by a {@code
 * WHERE MOD(user_id, n) = i}, with the same hosts, parallelism and checkpoint interval as the given
 * ShardSync job config (its first table must be the demo's orders). With {@code --tuned} the CDC
 * reader polls as often as ShardSync's. Runs until killed.
 */
public final class FlinkSqlPipeline {
    private static final String COLUMNS =
            "id BIGINT, user_id BIGINT, status STRING, amount DECIMAL(12, 2), note STRING,"
                    + " version BIGINT, updated_at TIMESTAMP(6), PRIMARY KEY (id) NOT ENFORCED";

    private FlinkSqlPipeline() {}

    public static void main(String[] args) throws Exception {
        CommandLine commandLine = new CommandLine(args);
        JobConfig config = ConfigLoader.load(commandLine.required("config"));
        String tuning =
                commandLine.flag("tuned")
                        ? ", 'debezium.poll.interval.ms' = '"
                                + ChangeSources.READER_POLL.toMillis()
                                + "'"
                        : "";
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(config.parallelism());
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        SourceConfig source = config.singleSource();
        String database = config.tables().get(0).database();
        String table = config.tables().get(0).table();
        tables.executeSql(
                "CREATE TABLE src ("
                        + COLUMNS
                        + ") WITH ('connector' = 'mysql-cdc', 'hostname' = '"
                        + source.host()
                        + "', 'port' = '"
                        + source.port()
                        + "', 'username' = '"
                        + source.user()
                        + "', 'password' = '"
                        + source.password().resolve()
                        + "', 'database-name' = '"
                        + database
                        + "', 'table-name' = '"
                        + table
                        + "', 'server-id' = '"
                        + source.serverIdRange()
                        + "', 'server-time-zone' = '"
                        + source.serverTimeZone()
                        + "', 'scan.incremental.snapshot.chunk.size' = '"
                        + source.splitSize()
                        + "'"
                        + tuning
                        + ")");
        StatementSet inserts = tables.createStatementSet();
        int shards = config.shards().size();
        for (int i = 0; i < shards; i++) {
            ShardConfig shard = config.shards().get(i);
            String sink = "shard" + i;
            tables.executeSql(
                    "CREATE TABLE "
                            + sink
                            + " ("
                            + COLUMNS
                            + ") WITH ('connector' = 'jdbc', 'url' = '"
                            + shard.url().replace("jdbc:mariadb:", "jdbc:mysql:")
                            + database
                            + "', 'table-name' = '"
                            + table
                            + "', 'username' = '"
                            + shard.user()
                            + "', 'password' = '"
                            + shard.password().resolve()
                            + "', 'sink.buffer-flush.max-rows' = '"
                            + config.sink().batchSize()
                            + "', 'sink.buffer-flush.interval' = '"
                            + config.sink().flushInterval().toMillis()
                            + "ms')");
            inserts.addInsertSql(
                    "INSERT INTO " + sink + " SELECT * FROM src WHERE MOD(user_id, " + shards + ") = " + i);
        }
        inserts.execute().await();
    }
}
